// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "tagd",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tagd", targets: ["tagd"]),
        .library(name: "TagEngine", targets: ["TagEngine"]),
        .library(name: "LuaHost", targets: ["LuaHost"]),
        .library(name: "MemberStore", targets: ["MemberStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4", providers: [.apt(["liblua5.4-dev"])]),
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        .target(name: "LuaHost", dependencies: ["CLua", "CLuaShim"]),
        .target(name: "MemberStore", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "TagEngine", dependencies: ["LuaHost", "MemberStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .executableTarget(name: "tagd", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            "TagEngine", "MemberStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "LuaHostTests", dependencies: ["LuaHost"]),
        .testTarget(name: "MemberStoreTests", dependencies: ["MemberStore"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TagEngineTests", dependencies: ["TagEngine", "MemberStore", "LuaHost", .product(name: "GRDB", package: "GRDB.swift")], resources: [.copy("Fixtures")]),
    ]
)
