// swift-tools-version:6.2
import PackageDescription

// libFuzzer harnesses for the code that reads outside input. `Fuzz/run` builds them with
// `--sanitize=fuzzer --sanitize=address` and runs each for a bounded time on its corpus.
let package = Package(
    name: "vigil-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "vigil", path: ".."),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        .target(
            name: "FuzzSupport",
            dependencies: [.product(name: "VigilCore", package: "vigil")]
        ),
        .executableTarget(
            name: "FormFuzz",
            dependencies: ["FuzzSupport", .product(name: "VigilCore", package: "vigil"), .product(name: "VigilWeb", package: "vigil")]
        ),
        .executableTarget(
            name: "ContentFuzz",
            dependencies: ["FuzzSupport", .product(name: "VigilCore", package: "vigil"), .product(name: "VigilStore", package: "vigil")]
        ),
        .executableTarget(
            name: "PaperFuzz",
            dependencies: ["FuzzSupport", .product(name: "VigilCore", package: "vigil")]
        ),
        .executableTarget(
            name: "ReceiptFuzz",
            dependencies: ["FuzzSupport", .product(name: "VigilCore", package: "vigil"), .product(name: "VigilWeb", package: "vigil")]
        ),
        .executableTarget(
            name: "DossierFuzz",
            dependencies: [
                "FuzzSupport",
                .product(name: "VigilCore", package: "vigil"),
                .product(name: "VigilWeb", package: "vigil"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
    ]
)
