import Foundation
import Commands

exit(AppJudgeCLI.main(CommandLine.arguments))
