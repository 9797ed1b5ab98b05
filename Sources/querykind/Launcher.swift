import Foundation
import TensorMath

/// The process entry point: restarts once with a fitting `OPENBLAS_CORETYPE` when OpenBLAS misdetected
/// this CPU (the variable only counts while the library loads), then runs the command line.
@main
enum Launcher {
    static func main() async {
        if let coreType = OpenBLASCore.correction(environment: ProcessInfo.processInfo.environment) {
            setenv("OPENBLAS_CORETYPE", coreType, 1)
            let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
            execv("/proc/self/exe", arguments)
            // execv only returns on failure: carry on with the slower kernels rather than fail.
        }
        await QueryKindCommand.main()
    }
}
