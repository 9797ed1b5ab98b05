// swift-tools-version:6.0
import PackageDescription

/// The import graph (docs/architecture.md, drawn there module by module): Annotator joins LabelStore (the storage
/// contract: the `LabelDatabase` protocol, its value types, and what reads the same on every engine, written once) and
/// BertClassifier (the model, over BertTokenizer and TensorMath), which do not know each other. The two engines,
/// SQLiteStore (over CSQLite) and PostgresStore (over PostgresNIO), each implement the contract and know nothing of
/// each other. QueryServer (`serve`'s HTTP layer) sits on Annotator and also imports LabelStore, SQLiteStore (to tell
/// a replaced database file) and BertClassifier. The command line imports every module but BertTokenizer; it alone
/// picks an engine. Evaluation and Benchmark (over BertClassifier, and Benchmark also TensorMath) are used only by it.
/// On Linux the Swift runtime and Foundation are linked in statically, at link time only, so the `querykind` binary
/// (and the SQLite extension) run where no Swift toolchain is installed: the Debian package (scripts/package.sh) ships
/// the binary as built. Link-only, unlike `--static-swift-stdlib`, so every build, debug included, shares one set of
/// compiled objects and is package-ready. Modules compiled against the shared runtime autolink only `Foundation`, so
/// the archives static Foundation needs after it are named here.
let staticSwiftRuntime: [LinkerSetting] =
    [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux]))]
        + ["CoreFoundation", "_FoundationCShims", "_FoundationICU", "_FoundationCollections", "swiftSynchronization"]
            .map { .linkedLibrary($0, .when(platforms: [.linux])) }

let package = Package(
    name: "querykind",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "querykind", targets: ["querykind"]),
        /// The SQLite loadable extension (`.load ./libquerykind-sqlite`): classify from SQL
        /// (docs/sqlite-extension.md). SQLite finds its entry point, `sqlite3_querykindsqlite_init`, from the file name.
        .library(name: "querykind-sqlite", type: .dynamic, targets: ["QueryKindSQLite"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: nil,
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite",
                       providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "BertTokenizer"),
        /// The encoder's own kernels (GELU, int8 quantization, the int8 linear layer), compiled for SSE2, AVX2 and
        /// AVX-512 (with and without VNNI) and chosen at run time: Swift compiles for baseline x86-64 only (CKernels.h
        /// says why they are C). Optimized in debug builds too: unoptimized intrinsics keep every vector in memory,
        /// which made the int8 product 60-170x slower (8 against 540 GOPS) and the debug test suite wait on it.
        .target(name: "CKernels", cSettings: [.unsafeFlags(["-O2"])]),
        .target(name: "TensorMath", dependencies: ["CBLAS", "CKernels"]),
        .target(name: "BertClassifier", dependencies: [
            "BertTokenizer", "TensorMath",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Evaluation", dependencies: ["BertClassifier"]),
        .target(name: "Benchmark", dependencies: ["BertClassifier", "TensorMath"]),
        .target(name: "LabelStore"),
        .target(name: "SQLiteStore", dependencies: ["LabelStore", "CSQLite"],
                exclude: ["Migrations/postgres"], resources: [.embedInCode("Migrations")]),
        .target(name: "PostgresStore", dependencies: [
            "LabelStore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
            .product(name: "Logging", package: "swift-log"),
        ], resources: [.embedInCode("Migrations")]),
        .target(name: "Annotator", dependencies: [
            "LabelStore", "BertClassifier",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "QueryServer", dependencies: [
            "Annotator", "LabelStore", "SQLiteStore", "BertClassifier",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Logging", package: "swift-log"),
        ], resources: [.embedInCode("openapi.json")]),
        .executableTarget(name: "querykind", dependencies: [
            "Annotator", "QueryServer", "LabelStore", "SQLiteStore", "PostgresStore", "BertClassifier", "Evaluation",
            "Benchmark", "TensorMath",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], linkerSettings: staticSwiftRuntime),
        /// The extension's entry point and its calls into SQLite through the routines the host hands over
        /// (sqlite3ext.h), so it runs on the host's own SQLite (Python may carry one).
        .target(name: "CQueryKindSQLite"),
        /// Joins the model and the store's types for SQL, as Annotator does for the command line. Like the
        /// executable it carries the Swift runtime (`staticSwiftRuntime`), so it loads into hosts without a Swift
        /// toolchain; and it is never unloaded (`-z nodelete`): SQLite unloads an extension when the connection that
        /// loaded it closes, while the runtime's thread-exit destructors on the host's other threads still point into it.
        .target(name: "QueryKindSQLite", dependencies: ["CQueryKindSQLite", "Annotator", "BertClassifier", "LabelStore"],
                linkerSettings: staticSwiftRuntime
                    + [.unsafeFlags(["-Xlinker", "-z", "-Xlinker", "nodelete"], .when(platforms: [.linux]))]),
        .testTarget(name: "BertTokenizerTests", dependencies: ["BertTokenizer", "QueryKindTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "CKernelsTests", dependencies: ["CKernels"]),
        .testTarget(name: "TensorMathTests", dependencies: ["TensorMath", "CKernels"]),
        .testTarget(name: "BertClassifierTests", dependencies: ["BertClassifier", "TensorMath", "QueryKindTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "BertClassifier", "QueryKindTestSupport"]),
        .testTarget(name: "BenchmarkTests", dependencies: ["Benchmark", "BertClassifier", "BertTokenizer"]),
        .target(name: "QueryKindTestSupport", dependencies: [
            "LabelStore", "SQLiteStore",
            .product(name: "Crypto", package: "swift-crypto"),
        ], path: "Tests/TestSupport"),
        .testTarget(name: "SQLiteStoreTests", dependencies: ["SQLiteStore", "LabelStore", "QueryKindTestSupport"]),
        .testTarget(name: "PostgresStoreTests", dependencies: ["PostgresStore", "LabelStore", "QueryKindTestSupport"]),
        /// The `LabelDatabase` contract: one set of test bodies, run on SQLite and on PostgreSQL.
        .testTarget(name: "StoreContractTests",
                    dependencies: ["LabelStore", "SQLiteStore", "PostgresStore", "Annotator", "BertClassifier",
                                   "QueryKindTestSupport"]),
        .testTarget(name: "AnnotatorTests",
                    dependencies: ["Annotator", "LabelStore", "SQLiteStore", "BertClassifier", "QueryKindTestSupport"]),
        /// `serve`'s HTTP layer in-process: the application `serve` builds, driven by HummingbirdTesting.
        .testTarget(name: "QueryServerTests", dependencies: [
            "QueryServer", "Annotator", "LabelStore", "SQLiteStore", "BertClassifier", "QueryKindTestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "QueryKindCLITests",
                    dependencies: ["LabelStore", "SQLiteStore", "Benchmark", "Evaluation", "QueryKindTestSupport"]),
    ]
)
