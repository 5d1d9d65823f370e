// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "LatentExplorer",
    products: [
        .executable(name: "latent-explorer", targets: ["LatentExplorer"]),
        .library(name: "VAE", targets: ["VAE"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System C libraries, from Debian's -dev packages.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncursesw5-dev"])]),

        // Vectorised element-wise kernels (Adam, the loss), built per vector width and chosen at load time.
        // No compiler flags: a package using unsafeFlags cannot be another package's dependency. The kernels
        // are written to vectorise at SwiftPM's own -O2, the hottest in explicit vectors that stay vector
        // code in debug builds (-O0).
        .target(name: "CKernels"),

        // Everything that is not a screen: data sets, the model, training, weight files, images.
        .target(name: "VAE", dependencies: ["CBLAS", "CZlib", "CKernels"]),

        // The explorer's state, key handling and rendering into a cell grid: plain Swift, no curses.
        .target(name: "ExplorerCore", dependencies: ["VAE"]),

        // `latent-explorer`: the ncurses front end and the headless subcommands.
        .executableTarget(
            name: "LatentExplorer",
            dependencies: [
                "VAE", "ExplorerCore", "CNcursesw",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)]  // ncurses exposes mutable C globals (stdscr, COLS)
        ),

        // Fixtures/ holds small files written by PyTorch (latent-explorer-torch fixture, python/), read by path.
        .testTarget(name: "VAETests", dependencies: ["VAE"], exclude: ["Fixtures"]),
        .testTarget(name: "ExplorerCoreTests", dependencies: ["ExplorerCore", "VAE"]),
    ]
)
