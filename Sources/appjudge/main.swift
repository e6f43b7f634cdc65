import Foundation
import Runner

exit(AppJudgeCLI.main(CommandLine.arguments))
