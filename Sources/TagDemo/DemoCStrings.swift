/// NUL-terminated copies of the ``DemoCatalog`` vocabularies, allocated once
/// per process and never freed, so ``DemoStoreWriter`` can bind them to
/// SQLite without copying (`SQLITE_STATIC`).
struct DemoCStrings: @unchecked Sendable {
    // @unchecked: the pointers are immutable and live for the whole process.

    let channels: [UnsafePointer<CChar>]
    let identityChannels: [UnsafePointer<CChar>]
    let regions: [UnsafePointer<CChar>]
    let genders: [UnsafePointer<CChar>]
    let categories: [UnsafePointer<CChar>]
    let products: [[UnsafePointer<CChar>]]
    let keywords: [[UnsafePointer<CChar>]]
    let coupons: [UnsafePointer<CChar>]
    let eventTypes: [UnsafePointer<CChar>]
    let props: [UnsafePointer<CChar>]
    let emptyObject: UnsafePointer<CChar>

    /// The shared, immortal table.
    static let shared = DemoCStrings()

    private init() {
        channels = DemoCStrings.copy(DemoCatalog.channels)
        identityChannels = DemoCStrings.copy(DemoCatalog.identityChannels)
        regions = DemoCStrings.copy(DemoCatalog.regions)
        genders = DemoCStrings.copy(DemoCatalog.genders)
        categories = DemoCStrings.copy(DemoCatalog.categories)
        products = DemoCatalog.products.map(DemoCStrings.copy)
        keywords = DemoCatalog.keywords.map(DemoCStrings.copy)
        coupons = DemoCStrings.copy(DemoCatalog.coupons)
        eventTypes = DemoCStrings.copy(DemoCatalog.eventTypes)
        props = DemoCStrings.copy(DemoCatalog.props)
        emptyObject = props[0]
    }

    private static func copy(_ strings: [String]) -> [UnsafePointer<CChar>] {
        strings.map { string in
            let utf8 = Array(string.utf8CString)
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
            buffer.initialize(from: utf8, count: utf8.count)
            return UnsafePointer(buffer)
        }
    }
}
