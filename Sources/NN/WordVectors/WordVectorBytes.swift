import Foundation

/// Small helpers for the bytes of word-vector files and the messages about them.
///
/// `file` points to a file's first byte. Precondition (every function): the ranges handed in
/// lie within the file.
enum WordVectorBytes {
    /// The offset of the first `byte` in `range`, or nil.
    static func firstOffset(of byte: UInt8, in range: Range<Int>, of file: UnsafePointer<UInt8>) -> Int? {
        memchr(file + range.lowerBound, Int32(byte), range.count).map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - file }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// `range` without the spaces, tabs, carriage returns and line feeds it ends with.
    static func trimmingTrailingWhitespace(_ range: Range<Int>, in file: UnsafePointer<UInt8>) -> Range<Int> {
        var end = range.upperBound
        while end > range.lowerBound && isWhitespace(file[end - 1]) { end -= 1 }
        return range.lowerBound..<end
    }

    /// `count` and `noun`, plural unless `count` is 1: "1 word", "3 words".
    static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// The bytes of `range` in quotes for a message, invalid UTF-8 shown as U+FFFD and long text cut.
    static func quoted(_ range: Range<Int>, of file: UnsafePointer<UInt8>) -> String {
        let shown = range.lowerBound..<Swift.min(range.upperBound, range.lowerBound + 60)
        let text = String(decoding: UnsafeBufferPointer(start: file + shown.lowerBound, count: shown.count), as: UTF8.self)
        return "'" + text + (shown.count < range.count ? "…" : "") + "'"
    }
}
