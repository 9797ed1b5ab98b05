/// Runs the subset of Python's pickle protocol (up to 5) that `torch.save` emits for a state dict.
///
/// Why: `pytorch_model.bin` stores its tensor index as a pickle; interpreting these opcodes natively lets querykind
/// read PyTorch checkpoints with no Python. Only data-building opcodes and a fixed list of torch globals are
/// accepted, so nothing in the file can make the reader do anything but build values.
struct PickleMachine {
    private let view: ByteView
    private let end: Int
    private var position: Int
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]

    /// Prepares to run the pickle held in `view` at `offset ..< offset + length` (already bounds-checked).
    init(view: ByteView, offset: Int, length: Int) {
        self.view = view
        position = offset
        end = offset + length
    }

    /// Executes opcodes until STOP and returns the pickled object.
    mutating func run() throws -> PickleValue {
        while true {
            let opcode = try byte()
            switch opcode {
            case 0x80: _ = try byte()                                      // PROTO
            case 0x95: _ = try fixed(8)                                    // FRAME: a length hint, opcodes follow
            case 0x2E: return try pop()                                    // STOP
            case 0x28: marks.append(stack.count)                           // MARK
            case 0x4E: stack.append(.none)                                 // NONE
            case 0x88: stack.append(.bool(true))                           // NEWTRUE
            case 0x89: stack.append(.bool(false))                          // NEWFALSE
            case 0x4B: stack.append(.int(try fixed(1)))                    // BININT1
            case 0x4D: stack.append(.int(try fixed(2)))                    // BININT2
            case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try raw(4)))))  // BININT
            case 0x8A: stack.append(.int(try long(byteCount: try fixed(1))))             // LONG1
            case 0x47: stack.append(.float(Double(bitPattern: try raw(8, bigEndian: true))))  // BINFLOAT
            case 0x58: stack.append(.string(try text(byteCount: try fixed(4))))  // BINUNICODE
            case 0x8C: stack.append(.string(try text(byteCount: try fixed(1))))  // SHORT_BINUNICODE
            case 0x8D: stack.append(.string(try text(byteCount: try fixed(8))))  // BINUNICODE8
            case 0x43: stack.append(.bytes(try skip(try fixed(1))))        // SHORT_BINBYTES
            case 0x42: stack.append(.bytes(try skip(try fixed(4))))        // BINBYTES
            case 0x29: stack.append(.tuple([]))                            // EMPTY_TUPLE
            case 0x5D: stack.append(.list(PickleList()))                   // EMPTY_LIST
            case 0x7D: stack.append(.dict(PickleDict()))                   // EMPTY_DICT
            case 0x74: stack.append(.tuple(try popToMark()))               // TUPLE
            case 0x85: stack.append(.tuple(try pop(1)))                    // TUPLE1
            case 0x86: stack.append(.tuple(try pop(2)))                    // TUPLE2
            case 0x87: stack.append(.tuple(try pop(3)))                    // TUPLE3
            case 0x30: _ = try pop()                                       // POP
            case 0x61: try append(try pop(1))                              // APPEND
            case 0x65: try append(try popToMark())                         // APPENDS
            case 0x73: try setItems(try pop(2))                            // SETITEM
            case 0x75: try setItems(try popToMark())                       // SETITEMS
            case 0x71: memo[try fixed(1)] = try top()                      // BINPUT
            case 0x72: memo[try fixed(4)] = try top()                      // LONG_BINPUT
            case 0x94: memo[memo.count] = try top()                        // MEMOIZE
            case 0x68: stack.append(try recall(try fixed(1)))              // BINGET
            case 0x6A: stack.append(try recall(try fixed(4)))              // LONG_BINGET
            case 0x63: stack.append(.global(module: try line(), name: try line()))  // GLOBAL
            case 0x93:                                                     // STACK_GLOBAL
                let name = try pop(), module = try pop()
                guard case .string(let m) = module, case .string(let n) = name else {
                    throw malformed("STACK_GLOBAL needs two strings")
                }
                stack.append(.global(module: m, name: n))
            case 0x51: stack.append(try persistentLoad(try pop()))         // BINPERSID
            case 0x52:                                                     // REDUCE
                let arguments = try pop(), callable = try pop()
                stack.append(try reduce(callable, arguments))
            case 0x62: _ = try pop()                                       // BUILD: object state (OrderedDict metadata) is not needed
            default:
                throw malformed("unsupported pickle opcode 0x\(String(opcode, radix: 16)) at byte \(position - 1)")
            }
        }
    }

    // MARK: reading the opcode stream

    private func malformed(_ reason: String) -> ModelLoadError {
        .malformed(file: view.file, tensor: nil, reason: "data.pkl: \(reason)")
    }

    private mutating func byte() throws -> Int {
        try fixed(1)
    }

    /// An unsigned integer of `width` (at most 8) bytes, little-endian unless stated, from the stream.
    private mutating func raw(_ width: Int, bigEndian: Bool = false) throws -> UInt64 {
        guard width <= end - position else {
            throw ModelLoadError.truncated(file: view.file, tensor: nil, reason: "data.pkl ends early")
        }
        var value: UInt64 = 0
        view.bytes.withUnsafeBytes { bytes in
            for index in 0..<width {
                value = value << 8 | UInt64(bytes[position + (bigEndian ? index : width - 1 - index)])
            }
        }
        position += width
        return value
    }

    /// A little-endian count, length or memo index of `width` bytes; one that does not fit in `Int` is malformed.
    private mutating func fixed(_ width: Int) throws -> Int {
        let value = try raw(width)
        guard let result = Int(exactly: value) else { throw malformed("length out of range") }
        return result
    }

    /// A two's-complement little-endian integer of `byteCount` bytes (LONG1); at most 8 bytes are supported.
    private mutating func long(byteCount: Int) throws -> Int {
        guard byteCount <= 8 else { throw malformed("integer wider than 64 bits") }
        guard byteCount > 0 else { return 0 }
        let shift = UInt64(64 - 8 * byteCount)
        return Int(Int64(bitPattern: try raw(byteCount) << shift) >> Int64(shift))
    }

    private mutating func text(byteCount: Int) throws -> String {
        let start = position
        _ = try skip(byteCount)
        return String(decoding: view.bytes[start..<(start + byteCount)], as: UTF8.self)
    }

    private mutating func skip(_ byteCount: Int) throws -> Int {
        guard byteCount >= 0, byteCount <= end - position else {
            throw ModelLoadError.truncated(file: view.file, tensor: nil, reason: "data.pkl ends early")
        }
        position += byteCount
        return byteCount
    }

    /// A newline-terminated ASCII line (GLOBAL's operands).
    private mutating func line() throws -> String {
        let start = position
        while try byte() != 0x0A {}
        return String(decoding: view.bytes[start..<(position - 1)], as: UTF8.self)
    }

    // MARK: the stack

    private mutating func pop() throws -> PickleValue {
        guard stack.count > (marks.last ?? 0) else { throw malformed("stack underflow") }
        return stack.removeLast()
    }

    private mutating func pop(_ count: Int) throws -> [PickleValue] {
        guard stack.count - count >= (marks.last ?? 0), count >= 0 else { throw malformed("stack underflow") }
        defer { stack.removeLast(count) }
        return Array(stack.suffix(count))
    }

    private mutating func popToMark() throws -> [PickleValue] {
        guard let mark = marks.popLast() else { throw malformed("no MARK") }
        defer { stack.removeSubrange(mark...) }
        return Array(stack[mark...])
    }

    private func top() throws -> PickleValue {
        guard stack.count > (marks.last ?? 0) else { throw malformed("stack underflow") }
        return stack[stack.count - 1]
    }

    private func recall(_ index: Int) throws -> PickleValue {
        guard let value = memo[index] else { throw malformed("memo \(index) is unset") }
        return value
    }

    private mutating func append(_ items: [PickleValue]) throws {
        guard case .list(let list) = try top() else { throw malformed("APPENDS on \(try top().kind)") }
        list.items += items
    }

    private mutating func setItems(_ items: [PickleValue]) throws {
        guard case .dict(let dict) = try top() else { throw malformed("SETITEMS on \(try top().kind)") }
        guard items.count % 2 == 0 else { throw malformed("SETITEMS with an odd item count") }
        for index in stride(from: 0, to: items.count, by: 2) {
            dict.entries.append((items[index], items[index + 1]))
        }
    }

    // MARK: torch objects

    /// `('storage', torch.<Type>Storage, key, location, numel)` → a storage reference.
    private func persistentLoad(_ id: PickleValue) throws -> PickleValue {
        guard case .tuple(let fields) = id, fields.count >= 3,
              case .string("storage") = fields[0],
              case .global(let module, let name) = fields[1], module == "torch",
              case .string(let key) = fields[2]
        else { throw malformed("unsupported persistent id (expected a torch storage)") }
        return .storage(dtype: ElementType(torchStorage: name), key: key)
    }

    /// Calls one of the few allowed constructors.
    private func reduce(_ callable: PickleValue, _ arguments: PickleValue) throws -> PickleValue {
        guard case .global(let module, let name) = callable, case .tuple(let args) = arguments else {
            throw malformed("REDUCE of \(callable.kind) with \(arguments.kind)")
        }
        switch (module, name) {
        case ("collections", "OrderedDict"), ("builtins", "dict"):
            return .dict(PickleDict())
        case ("torch._utils", "_rebuild_parameter"):
            guard let tensor = args.first else { throw malformed("_rebuild_parameter without a tensor") }
            return tensor
        case ("torch._utils", "_rebuild_tensor_v2"):
            guard args.count >= 4,
                  case .storage(let dtype, let key) = args[0],
                  case .int(let offset) = args[1],
                  let shape = Self.integers(args[2]),
                  let stride = Self.integers(args[3]),
                  shape.count == stride.count
            else { throw malformed("unexpected _rebuild_tensor_v2 arguments") }
            return .tensor(PickledTensor(dtype: dtype, storageKey: key, storageOffset: offset, shape: shape, stride: stride))
        default:
            throw malformed("unsupported global \(module).\(name)")
        }
    }

    private static func integers(_ value: PickleValue) -> [Int]? {
        guard case .tuple(let items) = value else { return nil }
        var result: [Int] = []
        for item in items {
            guard case .int(let number) = item else { return nil }
            result.append(number)
        }
        return result
    }
}
