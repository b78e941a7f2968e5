@preconcurrency import CReadline
import Checks
