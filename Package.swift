// swift-tools-version:6.0
import PackageDescription

/// Data flows one way: LabelStore → Annotator → BertClassifier → (BertTokenizer, TensorMath).
let package = Package(
    name: "querykind",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "querykind", targets: ["querykind"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: nil,
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite",
                       providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "BertTokenizer"),
        .target(name: "TensorMath", dependencies: ["CBLAS"]),
        .target(name: "BertClassifier", dependencies: [
            "BertTokenizer", "TensorMath",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Evaluation", dependencies: ["BertClassifier"]),
        .target(name: "Benchmark", dependencies: ["BertClassifier", "TensorMath"]),
        .target(name: "LabelStore", dependencies: ["CSQLite"],
                resources: [.embedInCode("Migrations")]),
        .target(name: "Annotator", dependencies: [
            "LabelStore", "BertClassifier",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "querykind", dependencies: [
            "Annotator", "LabelStore", "BertClassifier", "Evaluation", "Benchmark", "TensorMath",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "BertTokenizerTests", dependencies: ["BertTokenizer"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "TensorMathTests", dependencies: ["TensorMath"]),
        .testTarget(name: "BertClassifierTests", dependencies: ["BertClassifier", "TensorMath"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "BertClassifier"]),
        .testTarget(name: "BenchmarkTests", dependencies: ["Benchmark", "BertTokenizer"]),
        .testTarget(name: "LabelStoreTests", dependencies: ["LabelStore"]),
        .testTarget(name: "AnnotatorTests", dependencies: ["Annotator", "LabelStore", "BertClassifier"]),
        .testTarget(name: "QueryKindCLITests", dependencies: ["LabelStore", "Benchmark"]),
    ]
)
