/// The entries of a zip archive whose members are stored uncompressed, as `torch.save` writes them.
///
/// Why: PyTorch's `pytorch_model.bin` is a zip file; reading its central directory natively avoids a zip library,
/// and since torch never compresses, an entry's data can be used in place.
struct ZipDirectory {
    /// Where one member's bytes lie in the archive.
    struct Entry {
        var offset: Int
        var size: Int
    }

    /// Members by path inside the archive.
    let entries: [String: Entry]

    private static let endOfDirectorySignature = 0x0605_4b50
    private static let zip64LocatorSignature = 0x0706_4b50
    private static let zip64EndSignature = 0x0606_4b50
    private static let centralHeaderSignature = 0x0201_4b50
    private static let localHeaderSignature = 0x0403_4b50
    private static let overflow32 = 0xFFFF_FFFF

    init(_ view: ByteView) throws {
        let file = view.file
        let (entryCount, firstEntry) = try Self.findDirectory(view)
        // Each central directory entry takes at least 46 bytes; a larger count is corrupt, not a reason to allocate.
        guard entryCount <= view.count / 46 else {
            throw ModelLoadError.malformed(file: file, tensor: nil, reason: "zip directory claims \(entryCount) entries")
        }
        var directoryOffset = firstEntry
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(entryCount)
        for _ in 0..<entryCount {
            let header = directoryOffset
            guard try view.uint32(at: header, "zip central directory") == Self.centralHeaderSignature else {
                throw ModelLoadError.malformed(file: file, tensor: nil, reason: "bad zip central directory entry at byte \(header)")
            }
            let method = try view.uint16(at: header + 10, "zip central directory")
            var compressedSize = try view.uint32(at: header + 20, "zip central directory")
            var size = try view.uint32(at: header + 24, "zip central directory")
            let nameLength = try view.uint16(at: header + 28, "zip central directory")
            let extraLength = try view.uint16(at: header + 30, "zip central directory")
            let commentLength = try view.uint16(at: header + 32, "zip central directory")
            var localOffset = try view.uint32(at: header + 42, "zip central directory")
            let nameBytes = try view.slice(header + 46, nameLength, "zip entry name")
            let name = String(decoding: nameBytes, as: UTF8.self)
            // Zip64: 32-bit fields set to 0xFFFFFFFF are in the 0x0001 extra field, in this order.
            var extra = header + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = try view.uint16(at: extra, "zip extra field")
                let length = try view.uint16(at: extra + 2, "zip extra field")
                if id == 1 {
                    var field = extra + 4
                    if size == Self.overflow32 { size = try view.uint64(at: field, "zip64 field"); field += 8 }
                    if compressedSize == Self.overflow32 { compressedSize = try view.uint64(at: field, "zip64 field"); field += 8 }
                    if localOffset == Self.overflow32 { localOffset = try view.uint64(at: field, "zip64 field") }
                }
                extra += 4 + length
            }
            guard method == 0 else { throw ModelLoadError.compressedEntry(file: file, entry: name) }
            guard compressedSize == size else {
                throw ModelLoadError.malformed(file: file, tensor: nil, reason: "stored zip entry '\(name)' has two sizes")
            }
            guard try view.uint32(at: localOffset, "zip local header of '\(name)'") == Self.localHeaderSignature else {
                throw ModelLoadError.malformed(file: file, tensor: nil, reason: "bad zip local header for '\(name)'")
            }
            let localName = try view.uint16(at: localOffset + 26, "zip local header of '\(name)'")
            let localExtra = try view.uint16(at: localOffset + 28, "zip local header of '\(name)'")
            let dataOffset = localOffset + 30 + localName + localExtra
            try view.requireRange(dataOffset, size, "zip entry '\(name)'")
            entries[name] = Entry(offset: dataOffset, size: size)
            directoryOffset = extraEnd + commentLength
        }
        self.entries = entries
    }

    /// Entry count and central directory offset, from the end-of-directory record (zip64 when it overflows).
    private static func findDirectory(_ view: ByteView) throws -> (count: Int, offset: Int) {
        // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
        let earliest = max(0, view.count - 22 - 0xFFFF)
        var position = view.count - 22
        while position >= earliest {
            if try view.uint32(at: position, "zip end of directory") == endOfDirectorySignature { break }
            position -= 1
        }
        guard position >= earliest else {
            throw ModelLoadError.truncated(file: view.file, tensor: nil, reason: "no zip end-of-directory record (file cut short?)")
        }
        var count = try view.uint16(at: position + 10, "zip end of directory")
        var offset = try view.uint32(at: position + 16, "zip end of directory")
        if count == 0xFFFF || offset == overflow32 {
            let locator = position - 20
            guard locator >= 0, try view.uint32(at: locator, "zip64 locator") == zip64LocatorSignature else {
                throw ModelLoadError.malformed(file: view.file, tensor: nil, reason: "zip64 locator missing")
            }
            let record = try view.uint64(at: locator + 8, "zip64 locator")
            guard try view.uint32(at: record, "zip64 end of directory") == zip64EndSignature else {
                throw ModelLoadError.malformed(file: view.file, tensor: nil, reason: "bad zip64 end-of-directory record")
            }
            count = try view.uint64(at: record + 32, "zip64 end of directory")
            offset = try view.uint64(at: record + 48, "zip64 end of directory")
        }
        return (count, offset)
    }
}
