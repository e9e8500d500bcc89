// Lists the public declarations of this package that have no `///` documentation, from the
// symbol graphs of its modules; exits 1 when there is any. Run by `.ci/run`:
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
var undocumented: [String] = []
var counted = 0
for file in files.sorted() where file.hasSuffix(".symbols.json") {
    let data = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(file))
    for symbol in try JSONDecoder().decode(SymbolGraph.self, from: data).symbols {
        guard let location = symbol.location, let path = URL(string: location.uri)?.path, path.hasPrefix(root) else {
            continue
        }
        counted += 1
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
if undocumented.isEmpty {
    print("documentation: all \(counted) public declarations have /// comments")
    exit(0)
}
print("documentation: \(undocumented.count) of \(counted) public declarations have no /// comment:")
for line in undocumented { print("  \(line)") }
exit(1)
