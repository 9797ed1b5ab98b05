import Annotator
import ArgumentParser

/// `--uncertain`, shared by `classify`, `lookup` and `serve`: the confidence gate (`UncertainMargin`).
struct UncertainOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Give the kind uncertain where a head that decided it is within this margin of 0.5 (probabilities "
            + "unchanged); 0 to 0.5, 0 is off. For serve, the default of requests that give none.",
        valueName: "margin"))
    var uncertain: Double = 0

    func validate() throws { _ = try margin() }

    func margin() throws -> UncertainMargin {
        do {
            return try UncertainMargin(uncertain)
        } catch {
            throw ValidationError("--uncertain \(error)")
        }
    }
}
