// swift-tools-version:6.0
// The targets, lowest layer first; each depends only on targets listed before it (SwiftPM refuses cycles):
//   Support        seeded PRNG, text sanitising for messages, parallel map, threads     -> (none)
//   FileFormats    safetensors + Tensor, strict JSON, PNG encoder, PNG/PNM image readers,
//                  atomic file writes                                                   -> Support, CZlib, CPng
//   LetterData     image sets and geometry, file reading (IDX/CSV/gzip, DataError), data selection,
//                  dataset writer, the handwriting synthesiser, letter statistics       -> Support, FileFormats, CZlib
//   VAE            model, training, analysis, compute pool, weight files of a model     -> Support, FileFormats, LetterData, CBLAS, CKernels
//   Pictures       tile pictures, latent grids, comparison figures (PNG, SVG), fonts    -> Support, FileFormats, LetterData, VAE
//   ExplorerCore   explorer state, keys, rendering into a cell grid (no curses)        -> Support, FileFormats, LetterData, VAE, Pictures
//   TerminalInput  terminal input protocols decoded into explorer events (xterm mouse) -> ExplorerCore
//   CursesScreen   the one file that calls ncurses (Swift 5 language mode, alone)      -> ExplorerCore, TerminalInput, CNcursesw
//   LatentExplorer the explorer's front end and the headless subcommands (Swift 6)      -> all of the above, ArgumentParser
import PackageDescription

let package = Package(
    name: "LatentExplorer",
    products: [
        .executable(name: "latent-explorer", targets: ["LatentExplorer"]),
        .library(name: "VAE", targets: ["VAE"]),
        .library(name: "Support", targets: ["Support"]),
        .library(name: "FileFormats", targets: ["FileFormats"]),
        .library(name: "LetterData", targets: ["LetterData"]),
        .library(name: "Pictures", targets: ["Pictures"]),
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
        .systemLibrary(name: "CPng", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),

        // Vectorised element-wise kernels (Adam, the loss), built per vector width and chosen at load time.
        // No compiler flags: a package using unsafeFlags cannot be another package's dependency. The kernels
        // are written to vectorise at SwiftPM's own -O2, the hottest in explicit vectors that stay vector
        // code in debug builds (-O0).
        .target(name: "CKernels"),

        // Small shared utilities: the seeded PRNG, text sanitising for one-line messages, parallel map.
        .target(name: "Support"),

        // File formats that know no model or data set: safetensors, strict JSON, PNG (written here, read
        // through libpng), PGM/PBM, atomic writes.
        .target(name: "FileFormats", dependencies: ["Support", "CZlib", "CPng"]),

        // Data sets: readers (IDX, CSV, gzip), selection and splits, the synthesiser, statistics.
        .target(name: "LetterData", dependencies: ["Support", "FileFormats", "CZlib"]),

        // The model and its training: networks, BLAS and the compute pool, analysis, weight files.
        .target(name: "VAE", dependencies: ["Support", "FileFormats", "LetterData", "CBLAS", "CKernels"]),

        // Pictures of images and models: tile sheets, latent grids, comparison figures.
        .target(name: "Pictures", dependencies: ["Support", "FileFormats", "LetterData", "VAE"]),

        // The explorer's state, key handling and rendering into a cell grid: plain Swift, no curses.
        .target(name: "ExplorerCore", dependencies: ["Support", "FileFormats", "LetterData", "VAE", "Pictures"]),

        // The one file that talks to ncurses. Swift 5 language mode, alone in the package: ncurses'
        // state is mutable C globals (stdscr, cur_term, COLORS) that Swift 6 rejects.
        // The terminal's input protocols decoded into the explorer's events (xterm's SGR mouse reports).
        .target(name: "TerminalInput", dependencies: ["ExplorerCore"]),

        .target(name: "CursesScreen", dependencies: ["CNcursesw", "ExplorerCore", "TerminalInput"],
                swiftSettings: [.swiftLanguageMode(.v5)]),

        // `latent-explorer`: the explorer's front end and the headless subcommands.
        .executableTarget(
            name: "LatentExplorer",
            dependencies: [
                "Support", "FileFormats", "LetterData", "VAE", "Pictures", "ExplorerCore", "CursesScreen",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Fixtures/ holds small files written by PyTorch (latent-explorer-torch fixture, python/), read by path.
        // Helpers both test targets share (where the real letters are, temporary files).
        .target(name: "TestSupport", dependencies: ["LetterData", "CZlib"], path: "Tests/TestSupport"),
        .testTarget(name: "VAETests",
                    dependencies: ["Support", "FileFormats", "LetterData", "VAE", "Pictures", "CKernels", "CZlib", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "ExplorerCoreTests",
                    dependencies: ["Support", "FileFormats", "LetterData", "VAE", "Pictures", "ExplorerCore", "TerminalInput", "CZlib", "TestSupport"]),
    ]
)
