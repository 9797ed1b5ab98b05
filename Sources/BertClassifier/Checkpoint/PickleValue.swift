/// A value on the stack of `PickleMachine`: the part of Python's object model that `torch.save` state dicts use.
///
/// Why: a pickled state dict is a small program; its values are kept just detailed enough to find each tensor's
/// storage, offset, shape and stride.
indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes(Int)
    case tuple([PickleValue])
    case list(PickleList)
    case dict(PickleDict)
    /// A class or function reference (`module`, `name`), e.g. `torch._utils._rebuild_tensor_v2`.
    case global(module: String, name: String)
    /// A storage named by a persistent id: its element type and its archive key (`data/<key>`).
    case storage(dtype: ElementType, key: String)
    /// A tensor rebuilt by `_rebuild_tensor_v2`.
    case tensor(PickledTensor)

    /// A short description for error messages.
    var kind: String {
        switch self {
        case .none: "None"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "str"
        case .bytes: "bytes"
        case .tuple: "tuple"
        case .list: "list"
        case .dict: "dict"
        case .global(let module, let name): "\(module).\(name)"
        case .storage: "storage"
        case .tensor: "tensor"
        }
    }
}

/// A Python list, shared by reference like the original (APPENDS mutates a list already in the memo).
final class PickleList {
    var items: [PickleValue] = []
}

/// A Python dict or OrderedDict, shared by reference; string keys only, in insertion order.
final class PickleDict {
    var entries: [(key: PickleValue, value: PickleValue)] = []
}

/// `torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, ...)` as recorded in the pickle.
struct PickledTensor {
    var dtype: ElementType
    var storageKey: String
    var storageOffset: Int
    var shape: [Int]
    var stride: [Int]
}
