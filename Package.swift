// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "AppJudge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "appjudge", targets: ["appjudge"]),
        .library(name: "Engine", targets: ["Engine"]),
    ],
    targets: [
        // C libraries from Debian, each behind a module map; typed Swift wrappers live in the
        // module that owns the library (Desktop for X11/xdo, Imaging for PNG, Perception for OCR).
        .systemLibrary(name: "CX11", pkgConfig: "x11", providers: [.apt(["libx11-dev"])]),
        .systemLibrary(name: "CXdo", providers: [.apt(["libxdo-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CTesseract", pkgConfig: "tesseract", providers: [.apt(["libtesseract-dev"])]),
        // libpng's full write API reports errors through longjmp, which Swift cannot host,
        // so the encoder that needs it is a small C target that owns the setjmp.
        .target(name: "CPNG", linkerSettings: [.linkedLibrary("png16")]),

        .target(name: "Imaging", dependencies: ["CPNG"]),
        .target(name: "JSON"),
        .target(name: "DevTools", dependencies: ["JSON"]),
        .target(name: "CSystem"),
        .target(name: "Processes", dependencies: ["CSystem"]),
        .target(name: "Desktop", dependencies: ["CX11", "CXdo", "Imaging", "Processes", "CSystem"]),
        .target(name: "Perception", dependencies: ["CTesseract", "Imaging", "DevTools", "JSON", "Suite"]),
        // Build, launch and readiness: the jail, the worker's display and browser, a case's app.
        .target(name: "Sandbox", dependencies: ["Processes", "Suite", "DevTools", "JSON", "CSystem", "Desktop", "Perception", "Imaging"]),
        .target(name: "Suite"),
        .target(name: "Scoring"),
        .target(name: "HTTP", dependencies: ["CCurl", "JSON"]),
        .target(name: "Judge", dependencies: ["Desktop", "Perception", "Imaging", "Suite", "HTTP", "JSON"]),
        .target(name: "Reports", dependencies: ["Judge", "Suite", "Imaging", "Sandbox", "Scoring"]),
        // One evaluation end to end, and suite runs over many.
        .target(
            name: "Engine",
            dependencies: ["Scoring", "HTTP", "JSON", "DevTools", "Desktop", "Perception", "Sandbox", "Judge", "Suite", "Reports", "Processes", "Imaging"]),
        // The command line: arguments, printing, progress, exit codes, benchmark entry points.
        .target(
            name: "Commands",
            dependencies: ["Engine", "Scoring", "HTTP", "JSON", "DevTools", "Desktop", "Perception", "Sandbox", "Judge", "Suite", "Reports", "Processes", "Imaging"]),
        .executableTarget(name: "appjudge", dependencies: ["Commands"]),

        .target(name: "TestSupport", dependencies: ["Imaging", "Desktop", "Processes", "HTTP", "JSON", "CSystem"], path: "Tests/TestSupport"),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "TestSupport"]),
        .testTarget(name: "PerceptionTests", dependencies: ["Perception", "Imaging", "Suite", "DevTools", "TestSupport"]),
        .testTarget(
            name: "BrowserTests", dependencies: ["Perception", "Sandbox", "Desktop", "DevTools", "Imaging", "Processes", "Suite", "TestSupport"]),
        .testTarget(name: "DesktopTests", dependencies: ["Desktop", "Imaging", "Processes", "TestSupport"]),
        .testTarget(name: "SuiteTests", dependencies: ["Suite", "TestSupport"]),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "Suite", "Processes", "TestSupport"]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring"]),
        .testTarget(name: "SuiteRunTests", dependencies: ["Engine", "Commands", "Reports", "Judge", "Suite", "Sandbox", "Processes", "TestSupport"]),
        .testTarget(name: "ModelTests", dependencies: ["Judge", "HTTP", "JSON", "Suite", "Imaging", "Perception", "TestSupport"]),
        .testTarget(name: "JudgeTests", dependencies: ["Judge", "Perception", "Suite", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Judge", "Suite", "Imaging", "Perception", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["Engine", "Reports", "Suite", "Judge", "HTTP", "JSON", "Imaging", "TestSupport"]),
        // deploy/: the container image built and run end to end, the Kubernetes, GitHub and GitLab files validated.
        .testTarget(name: "DeployTests", dependencies: ["TestSupport"]),
    ]
)
