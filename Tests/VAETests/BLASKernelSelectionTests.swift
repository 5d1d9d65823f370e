import XCTest
@testable import VAE

final class BLASKernelSelectionTests: XCTestCase {
    private let avx512: Set<String> = ["avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"]

    func testUpgradesAVX2KernelsOnAVX512Machines() {
        XCTAssertEqual(BLASKernelSelection.preferredCoreType(cpuFlags: avx512, currentCore: "Haswell", environment: [:]), "SkylakeX")
        XCTAssertEqual(BLASKernelSelection.preferredCoreType(cpuFlags: avx512, currentCore: "Zen",
                                                             environment: ["OPENBLAS_CORETYPE": "Haswell"]), "SkylakeX")
    }

    /// A CPU newer than the library gets its SSE3 fallback kernels: upgraded as well.
    func testUpgradesTheFallbackKernelsOfAnUnknownAVX512CPU() {
        XCTAssertEqual(BLASKernelSelection.preferredCoreType(cpuFlags: avx512, currentCore: "Prescott", environment: [:]), "SkylakeX")
        XCTAssertNil(BLASKernelSelection.preferredCoreType(cpuFlags: ["sse3"], currentCore: "Prescott", environment: [:]))
        XCTAssertNil(BLASKernelSelection.preferredCoreType(cpuFlags: avx512, currentCore: "Cooperlake", environment: [:]))
    }

    func testNeverDowngradesNorLoopsAndRespectsKeep() {
        XCTAssertNil(BLASKernelSelection.preferredCoreType(cpuFlags: ["avx2", "fma"], currentCore: "Haswell", environment: [:]))
        XCTAssertNil(BLASKernelSelection.preferredCoreType(cpuFlags: avx512, currentCore: "SkylakeX", environment: [:]))
        XCTAssertNil(BLASKernelSelection.preferredCoreType(cpuFlags: avx512, currentCore: "Haswell",
                                                           environment: ["LATENT_EXPLORER_BLAS_CORE": "keep"]))
        XCTAssertNil(BLASKernelSelection.preferredCoreType(cpuFlags: avx512, currentCore: "Haswell",
                                                           environment: ["LATENT_EXPLORER_BLAS_REEXECUTED": "1"]))
        XCTAssertEqual(BLASKernelSelection.preferredCoreType(cpuFlags: avx512, currentCore: "SkylakeX",
                                                             environment: ["LATENT_EXPLORER_BLAS_CORE": "Haswell"]), "Haswell")
    }
}
