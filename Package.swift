// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "tagd",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tagd", targets: ["tagd"]),
        .library(name: "TagServer", targets: ["TagServer"]),
        .library(name: "TagCatalog", targets: ["TagCatalog"]),
        .library(name: "TextDiff", targets: ["TextDiff"]),
        .library(name: "TagEngine", targets: ["TagEngine"]),
        .library(name: "ReachHTTP", targets: ["ReachHTTP"]),
        .library(name: "TagDemo", targets: ["TagDemo"]),
        .library(name: "LuaHost", targets: ["LuaHost"]),
        .library(name: "MemberStore", targets: ["MemberStore"]),
        .library(name: "CustomerBase", targets: ["CustomerBase"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        .target(name: "LuaHost", dependencies: ["CLua", "CLuaShim"]),
        .target(name: "MemberStore", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "CustomerBase"),
        .target(
            name: "TagEngine",
            dependencies: [
                "LuaHost", "MemberStore", "CustomerBase", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(
            name: "ReachHTTP",
            dependencies: ["TagEngine", .product(name: "AsyncHTTPClient", package: "async-http-client")]),
        .target(name: "TagDemo", dependencies: ["MemberStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "TextDiff"),
        .target(
            name: "TagCatalog",
            dependencies: [
                "TagEngine", "MemberStore", "TextDiff",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]),
        .target(
            name: "TagServer",
            dependencies: [
                "TagEngine", "MemberStore", "LuaHost", "TagCatalog", "TextDiff", "ReachHTTP",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            resources: [.copy("openapi.json")]),
        .executableTarget(
            name: "tagd",
            dependencies: [
                "TagServer", "TagEngine", "TagDemo", "MemberStore", "CustomerBase", "TextDiff", "ReachHTTP",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]),
        .testTarget(name: "LuaHostTests", dependencies: ["LuaHost"]),
        .testTarget(name: "CustomerBaseTests", dependencies: ["CustomerBase"]),
        .testTarget(name: "MemberStoreTests", dependencies: ["MemberStore"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TagEngineTests",
            dependencies: ["TagEngine", "TagDemo", "MemberStore", "LuaHost", "CustomerBase", .product(name: "GRDB", package: "GRDB.swift")],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "tagdTests", dependencies: ["tagd", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "TextDiffTests", dependencies: ["TextDiff"]),
        .testTarget(
            name: "TagCatalogTests",
            dependencies: ["TagCatalog", "TagEngine", "MemberStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "TagServerTests",
            dependencies: [
                "TagServer", "TagEngine", "MemberStore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),
    ]
)
