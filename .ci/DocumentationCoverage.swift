// Lists the public declarations of this package that have no `///` documentation, and any of the
// package's internals that became public, from the symbol graphs of its modules (exactly what a
// user's code sees); exits 1 when there is any. Run by `.ci/run`:
//
//     swift .ci/DocumentationCoverage.swift SYMBOL_GRAPH_DIRECTORY
//
// Only symbols declared in this package's `Sources/` count: a symbol graph also lists the
// standard-library members that conformances bring in, which are documented where they live.
import Foundation

struct SymbolGraph: Decodable {
    struct Symbol: Decodable {
        struct Kind: Decodable { let identifier: String }
        struct Location: Decodable {
            struct Position: Decodable { let line: Int }
            let uri: String
            let position: Position
        }
        struct DocComment: Decodable {
            struct Line: Decodable { let text: String }
            let lines: [Line]
        }
        let kind: Kind
        let pathComponents: [String]
        let location: Location?
        let docComment: DocComment?
    }
    let symbols: [Symbol]
}

let arguments = CommandLine.arguments.dropFirst()
guard let directory = arguments.first else {
    FileHandle.standardError.write(Data("usage: DocumentationCoverage.swift SYMBOL_GRAPH_DIRECTORY\n".utf8))
    exit(2)
}
let root = FileManager.default.currentDirectoryPath + "/Sources/"
let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
/// Kernel and scheduling helpers the modules share as `package` declarations: a user who could call
/// them would depend on how the library is built, not on what it does.
let internalNames = ["parallelFor(", "parallelForBalanced(", "MersenneTwister", "elementwiseGrain",
                     "withTaskLocalValue(", "formattedDescription(", "converting(", "kernels",
                     "currentKernels", "gatheringRows(", "checkRowPositions(", "applying(",
                     "formApplying(", "compared(", "vocabularyDocument("]
/// Internals matched by their whole name: the storage layout, the kernels' operation codes, and the
/// conversions that would otherwise be members of `Float`, `Double` and the integers.
let internalExactNames: Set = ["Layout", "layout", "BinaryOperation", "UnaryOperation", "ComparisonOperation",
                               "one", "doubleValue"]
var undocumented: [String] = []
var leaked: [String] = []
var counted = 0
for file in files.sorted() where file.hasSuffix(".symbols.json") {
    let data = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(file))
    for symbol in try JSONDecoder().decode(SymbolGraph.self, from: data).symbols {
        guard let location = symbol.location, let path = URL(string: location.uri)?.path, path.hasPrefix(root) else {
            continue
        }
        counted += 1
        let name = symbol.pathComponents.last ?? ""
        if internalNames.contains(where: { name.hasPrefix($0) }) || internalExactNames.contains(name) {
            leaked.append("Sources/\(path.dropFirst(root.count)):\(location.position.line + 1): "
                          + symbol.pathComponents.joined(separator: "."))
        }
        let text = symbol.docComment?.lines.map(\.text).joined().trimmingCharacters(in: .whitespaces) ?? ""
        if text.isEmpty {
            undocumented.append("Sources/\(path.dropFirst(root.count)):\(location.position.line + 1): "
                                + "\(symbol.kind.identifier) \(symbol.pathComponents.joined(separator: "."))")
        }
    }
}
guard counted > 0 else {
    FileHandle.standardError.write(Data("no symbols of this package found in \(directory)\n".utf8))
    exit(2)
}
if !leaked.isEmpty {
    print("public surface: \(leaked.count) internal helpers are public (make them `package`):")
    for line in leaked { print("  \(line)") }
}
if undocumented.isEmpty && leaked.isEmpty {
    print("documentation: all \(counted) public declarations have /// comments; no internal helper is public")
    exit(0)
}
if !undocumented.isEmpty {
    print("documentation: \(undocumented.count) of \(counted) public declarations have no /// comment:")
    for line in undocumented { print("  \(line)") }
}
exit(1)
