/// Left-aligns `text` in a column of `width` characters (at least one space after it), for terminal tables.
func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
}
