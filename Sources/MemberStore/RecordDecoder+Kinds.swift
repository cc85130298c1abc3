extension RecordDecoder {
    func decodeMember<Row>(_ reader: inout FieldReader<Row>) -> MemberInput {
        let identities = decodeIdentities(&reader)
        var member = MemberInput(externalID: memberID(&reader, identities: identities), identities: identities)
        member.channel = reader.text(.channel)
        member.registeredAt = reader.timestamp(.registeredAt)
        member.gender = reader.text(.gender)
        member.region = reader.text(.region)
        if let birthday = reader.text(.birthday) {
            if TimestampParser.isValidBirthday(birthday) {
                member.birthday = birthday
            } else {
                reader.fail("birthday", "\(FieldError.quote(birthday)) is not a birthday (expected YYYY-MM-DD or MM-DD)")
            }
        }
        member.level = reader.int(.level)
        member.attrs = reader.object(.attrs) ?? [:]
        var extras: [(String, RawValue)] = []
        reader.row.forEachExtra { extras.append(($0, $1)) }
        for (name, raw) in extras where !InputField.isIdentityColumn(name) {
            if let value = reader.json(raw, field: name) { member.attrs[name] = value }
        }
        return member
    }

    /// Channel identities from the `identities` object and `id_<channel>` columns.
    func decodeIdentities<Row>(_ reader: inout FieldReader<Row>) -> [String: String] {
        let object = reader.object(.identities) ?? [:]
        // Sized once: grown from empty it was rebuilt for the second and third identity.
        var identities = [String: String](minimumCapacity: object.count + 1)
        for (channel, value) in object {
            if let id = reader.id(.json(value), field: "identities.\(channel)") { identities[channel] = id }
        }
        var extras: [(String, RawValue)] = []
        reader.row.forEachExtra { extras.append(($0, $1)) }
        for (name, raw) in extras where InputField.isIdentityColumn(name) {
            if let id = reader.id(raw, field: name) { identities[String(name.dropFirst(InputField.identityPrefix.count))] = id }
        }
        return identities
    }

    /// The `member` id, which may be absent when channel identities name the member.
    func memberID<Row>(_ reader: inout FieldReader<Row>, identities: [String: String]) -> String {
        if identities.isEmpty || reader.row.value(.member) != nil { return reader.requiredText(.member, asID: true) }
        return ""
    }

    func decodeOrder<Row>(_ reader: inout FieldReader<Row>) -> OrderInput {
        let identities = decodeIdentities(&reader)
        var order = OrderInput(member: memberID(&reader, identities: identities), ts: reader.requiredTimestamp(.ts))
        order.identities = identities
        order.amount = reader.double(.amount) ?? 0
        order.channel = reader.text(.channel)
        order.category = reader.text(.category)
        order.product = reader.text(.product)
        order.isNewProduct = reader.bool(.isNewProduct) ?? false
        order.coupon = reader.text(.coupon)
        order.paid = reader.bool(.paid) ?? true
        order.key = reader.text(.id)
        order.props = reader.object(.props) ?? [:]
        var extras: [(String, RawValue)] = []
        reader.row.forEachExtra { extras.append(($0, $1)) }
        for (name, raw) in extras where !InputField.isIdentityColumn(name) {
            if let value = reader.json(raw.numberIfDecimal, field: name) { order.props[name] = value }
        }
        return order
    }

    func decodeEvent<Row>(_ reader: inout FieldReader<Row>) -> EventInput {
        let identities = decodeIdentities(&reader)
        var event = EventInput(
            member: memberID(&reader, identities: identities), ts: reader.requiredTimestamp(.ts), type: reader.requiredText(.type))
        event.identities = identities
        event.category = reader.text(.category)
        event.keyword = reader.text(.keyword)
        event.props = reader.object(.props) ?? [:]
        event.key = reader.text(.id)
        var extras: [(String, RawValue)] = []
        reader.row.forEachExtra { extras.append(($0, $1)) }
        for (name, raw) in extras where !InputField.isIdentityColumn(name) {
            if let value = reader.json(raw, field: name) { event.props[name] = value }
        }
        return event
    }
}

extension RawValue {
    /// The value as stored in a JSON column; CSV text stays a string.
    var jsonValue: JSONValue {
        switch self {
        case .text(let text): .string(text)
        case .json(let value): value
        }
    }

    /// A CSV cell holding a plain decimal number as a JSON number (`3`,
    /// `-2.50`, `1e3`); text with a leading zero (`007`, a code) stays text.
    var numberIfDecimal: RawValue {
        guard case .text(let text) = self else { return self }
        let digits = text.drop { $0 == "-" || $0 == "+" }
        if digits.count > 1, digits.first == "0", digits.dropFirst().first?.isNumber == true { return self }
        guard let number = FieldReader<TextDictionaryRow>.parseDouble(text) else { return self }
        return .json(.number(number))
    }
}
