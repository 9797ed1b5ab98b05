import BertClassifier
import Foundation
import QueryServer

/// What `querykind --version` prints: the version, the commit the binary was built from, and the id of the
/// shipped model this binary finds (the id `label` writes with it in fp32), or why it finds none.
///
/// Why the model's id is computed, not recorded at build time: the id hashes the model's files, and what counts is
/// the model installed beside this binary (`/usr/share/querykind/Models/` for the package), not the one the build
/// saw. `$QUERYKIND_MODEL` and `--model` are ignored: they name another model, not the shipped one.
enum VersionText {
    static func render(executable: URL = Bundle.main.executableURL
                           ?? URL(fileURLWithPath: CommandLine.arguments[0])) -> String {
        let model: String
        do {
            let directory = try ModelDirectory.resolve(
                explicit: nil, environment: [:],
                currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
                executable: executable)
            model = "\(try directory.modelID()) (\(directory.url.path))"
        } catch {
            model = "\(ModelDirectory.shippedName) not found: \(error)"
        }
        return """
            querykind \(BuildInfo.version)
            commit: \(BuildInfo.commit)
            model: \(model)

            """
    }
}
