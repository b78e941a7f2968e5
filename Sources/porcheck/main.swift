import ArgumentParser
import Checks
import Wizard
print("porcheck")
