import Foundation

/// The feature flags of this machine's CPU, as `/proc/cpuinfo` lists them (empty elsewhere), read once.
///
/// Why one place: the OpenBLAS kernel family (`OpenBLASCore`), int8 products (`Int8Linear`: AVX2; VNNI for 8-bit
/// weights) and bf16 products (`BFloat16Linear`, AVX512-BF16 or AMX-BF16) are all decided from these flags, and each
/// decision is a pure function of a flag set so that the decision for every CPU kind querykind meets is tested on
/// whichever CPU runs the tests.
public enum CPUFeatures {
    /// This machine's flags (its first CPU's).
    public static let flags: Set<Substring> = {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return [] }
        return parse(cpuinfo: info)
    }()

    /// The flags of the first `flags : ...` line of a `/proc/cpuinfo` text.
    public static func parse(cpuinfo: String) -> Set<Substring> {
        guard let line = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " "))
    }
}
