import ArgumentParser
import BertClassifier
import Foundation

/// `--model DIR`, shared by every command that runs the classifier, with the shipped model as the default.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A HuggingFace BERT model directory (config.json, vocab.txt, model.safetensors or pytorch_model.bin).",
        discussion: "Defaults to $QUERYKIND_MODEL, else the model shipped in Models/.",
        valueName: "dir"))
    var model: String?

    /// Loads the classifier set up for throughput, turning load failures into a one-line error.
    func loadClassifier() throws -> QueryClassifier {
        try loadClassifier { try QueryClassifier.tunedForThroughput(modelDirectory: $0) }
    }

    /// Loads the classifier from the resolved directory with `load` (for commands that choose their own set-up),
    /// turning load failures into a one-line error for the terminal.
    func loadClassifier(_ load: (URL) throws -> QueryClassifier) throws -> QueryClassifier {
        let directory = try resolvedDirectory()
        do {
            return try load(directory)
        } catch {
            throw CommandFailure("cannot load model \(directory.path): \(error)")
        }
    }

    /// The model directory: `--model`, then `$QUERYKIND_MODEL`, then `Models/<shipped>` found beside the
    /// current directory or above the executable (so a copied binary next to a checkout still finds it).
    func resolvedDirectory() throws -> URL {
        if let model { return URL(fileURLWithPath: model) }
        if let fromEnvironment = ProcessInfo.processInfo.environment["QUERYKIND_MODEL"] {
            return URL(fileURLWithPath: fromEnvironment)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var candidates = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(directory)
            directory = directory.deletingLastPathComponent()
        }
        for root in candidates {
            let shipped = root.appendingPathComponent("Models").appendingPathComponent(Self.shippedModelName)
            if FileManager.default.fileExists(atPath: shipped.appendingPathComponent("config.json").path) {
                return shipped
            }
        }
        throw CommandFailure(
            "no model given and the shipped model Models/\(Self.shippedModelName) was not found; pass --model DIR")
    }

    /// The folder name of the default model under `Models/`.
    static let shippedModelName = "querykind-minilm-l3"
}
