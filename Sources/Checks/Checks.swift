import Liabilities
import Reserves
import History
