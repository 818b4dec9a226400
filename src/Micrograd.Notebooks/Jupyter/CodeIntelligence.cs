using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using Micrograd.Execution;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.Text;

namespace Micrograd.Notebooks.Jupyter;

/// <summary>What a completion request gets back: the matches and the span (in UTF-16 offsets) they replace.</summary>
internal sealed record Completions(IReadOnlyList<string> Matches, int Start, int End);

/// <summary>
/// The editor's side of the session: completion and inspection through Roslyn's workspace services.
/// The workspace holds two submissions: the session's declarations (<see cref="SessionDeclarations"/>:
/// every library a cell <c>#r</c>'d, its usings, and the latest of the learner's variables, methods
/// and classes, as one script), and on top of it the code being typed. Unlike a mirror of every
/// cell as a chain of submission projects (as Roslyn's interactive window and .NET Interactive do),
/// its memory and catch-up time grow with the names declared, not with the cells run.
/// Used from one thread at a time (the kernel's shell thread; the warm-up holds the same lock).
/// </summary>
internal sealed class CodeIntelligence
{
    private static readonly CSharpParseOptions ScriptParse = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    private readonly object _gate = new();
    private readonly AdhocWorkspace _workspace = new(MefHostServices.DefaultHost);
    private readonly IReadOnlyList<MetadataReference> _references;
    private readonly CSharpCompilationOptions _options;
    private readonly string _folder;
    private readonly SessionDeclarations _declarations = new();
    private readonly ProjectId _declared;
    private Solution _solution;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _ran;

    /// <param name="ran">The code of cells that ran, in order, queued by the session: taken in before each request.</param>
    public CodeIntelligence(IReadOnlyList<MetadataReference> references, string folder, System.Collections.Concurrent.ConcurrentQueue<string> ran)
    {
        _ran = ran;
        _references = WithDocumentation(references);
        _folder = folder;
        _options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary,
            usings: ExecutionSession.DefaultUsings, allowUnsafe: true,
            metadataReferenceResolver: new Resolver(folder));
        (_solution, var project) = WithSubmission(_workspace.CurrentSolution, "Declarations", "", Path.Combine(folder, "declarations.csx"), previous: null);
        _declared = project.Id;
    }


    /// <summary>
    /// The session's references, loaded again for the workspace (its symbols are its own, so it never
    /// shares a cache with the compiling session), each with its XML documentation: a library's from
    /// beside it, the framework's from the SDK's reference pack (System.Private.CoreLib's types are
    /// documented in System.Runtime.xml).
    /// </summary>
    private static IReadOnlyList<MetadataReference> WithDocumentation(IReadOnlyList<MetadataReference> references)
    {
        string? docs = ReferencePackDocs();
        return references.Select(r =>
        {
            if (r is not PortableExecutableReference { FilePath: { } path }) return r;
            string name = Path.GetFileNameWithoutExtension(path);
            string? xml = new[]
            {
                Path.ChangeExtension(path, ".xml"),
                docs is null ? null : Path.Combine(docs, (name == "System.Private.CoreLib" ? "System.Runtime" : name) + ".xml"),
            }.FirstOrDefault(File.Exists);
            return (MetadataReference)MetadataReference.CreateFromFile(path, documentation: xml is null ? null : XmlDocumentationProvider.CreateFromFile(xml));
        }).ToArray();
    }

    /// <summary>dotnet/packs/Microsoft.NETCore.App.Ref/&lt;the running version&gt;/ref/net&lt;major.minor&gt;, if the SDK is there.</summary>
    private static string? ReferencePackDocs()
    {
        var runtime = new DirectoryInfo(Path.GetDirectoryName(typeof(object).Assembly.Location)!); // dotnet/shared/Microsoft.NETCore.App/10.0.12
        if (runtime.Parent?.Parent?.Parent is not { } root) return null;
        var pack = new DirectoryInfo(Path.Combine(root.FullName, "packs", "Microsoft.NETCore.App.Ref"));
        if (!pack.Exists) return null;
        var version = pack.GetDirectories().FirstOrDefault(d => d.Name == runtime.Name)
            ?? pack.GetDirectories().OrderByDescending(d => d.Name, StringComparer.Ordinal).FirstOrDefault();
        string? folder = version is null ? null : Path.Combine(version.FullName, "ref", $"net{Environment.Version.Major}.{Environment.Version.Minor}");
        return folder is not null && Directory.Exists(folder) ? folder : null;
    }

    /// <summary>Takes in the cells that ran since the last request: later completions see what they declared. Under the lock.</summary>
    private void CatchUp()
    {
        bool added = false;
        while (_ran.TryDequeue(out var code))
        {
            _declarations.Add(code);
            added = true;
        }
        if (!added) return;
        var document = _solution.GetProject(_declared)!.DocumentIds.Single();
        _solution = _solution.WithDocumentText(document, SourceText.From(_declarations.Text, Encoding.UTF8));
        // Compile the declarations in this solution, not only in the request's fork (which is thrown
        // away), so that every later fork reuses them and compiles just the code being typed.
        _solution.GetProject(_declared)!.GetCompilationAsync().GetAwaiter().GetResult();
    }

    /// <summary>Compiles the chain and asks for completions and quick info once, so the first real request is quick.</summary>
    public void Warm()
    {
        Complete("Console.", 8);
        Inspect("Math.Max", 6);
    }

    public Completions Complete(string code, int cursor)
    {
        lock (_gate)
        {
            var document = Current(code);
            var service = CompletionService.GetService(document);
            if (service is null) return new([], cursor, cursor);
            var list = service.GetCompletionsAsync(document, cursor).GetAwaiter().GetResult();
            var span = list.Span;
            string typed = code[span.Start..Math.Min(span.End, cursor)];
            var matches = list.ItemsList
                .Where(i => i.DisplayText.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || i.FilterText.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .OrderBy(i => i.DisplayText.StartsWith(typed, StringComparison.Ordinal) ? 0 : 1)
                .ThenBy(i => i.SortText, StringComparer.OrdinalIgnoreCase)
                .Select(i => i.DisplayText + i.DisplayTextSuffix)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            return new(matches, span.Start, Math.Max(span.End, cursor));
        }
    }

    /// <summary>The signature and documented summary of the symbol at the cursor, or null where there is none.</summary>
    public string? Inspect(string code, int cursor)
    {
        lock (_gate)
        {
            var document = Current(code);
            var model = document.GetSemanticModelAsync().GetAwaiter().GetResult();
            var root = document.GetSyntaxRootAsync().GetAwaiter().GetResult();
            if (model is null || root is null) return null;
            var symbol = SymbolAt(model, root, cursor) ?? (cursor > 0 ? SymbolAt(model, root, cursor - 1) : null);
            if (symbol is null) return null;
            var text = new StringBuilder(symbol.ToDisplayString(Signature));
            if (Summary(symbol) is { Length: > 0 } summary) text.Append("\n\n").Append(summary);
            return text.ToString();
        }
    }

    private static readonly SymbolDisplayFormat Signature = SymbolDisplayFormat.MinimallyQualifiedFormat
        .WithMemberOptions(SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeParameters
            | SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeModifiers | SymbolDisplayMemberOptions.IncludeRef)
        .WithKindOptions(SymbolDisplayKindOptions.IncludeTypeKeyword | SymbolDisplayKindOptions.IncludeMemberKeyword);

    private static ISymbol? SymbolAt(SemanticModel model, SyntaxNode root, int position)
    {
        if (position < 0 || position > root.FullSpan.End) return null;
        var token = root.FindToken(Math.Min(position, Math.Max(0, root.FullSpan.End - 1)));
        if (!token.Span.Contains(position) && token.Span.End != position) return null;
        for (var node = token.Parent; node is not null && node is not StatementSyntax and not CompilationUnitSyntax; node = node.Parent)
        {
            var info = model.GetSymbolInfo(node);
            if ((info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) is { } symbol) return symbol;
            if (model.GetDeclaredSymbol(node) is { } declared) return declared;
            if (node is ExpressionSyntax && model.GetTypeInfo(node).Type is { TypeKind: not TypeKind.Error } type) return type;
        }
        return null;
    }

    /// <summary>The XML documentation's summary as plain text (cref names shortened).</summary>
    private static string? Summary(ISymbol symbol)
    {
        string? xml = symbol.GetDocumentationCommentXml();
        if (string.IsNullOrWhiteSpace(xml) && symbol is IMethodSymbol { ReducedFrom: { } original }) xml = original.GetDocumentationCommentXml();
        if (string.IsNullOrWhiteSpace(xml)) return null;
        try
        {
            var summary = XElement.Parse(xml.Contains("<member", StringComparison.Ordinal) ? xml : $"<member>{xml}</member>").Element("summary");
            if (summary is null) return null;
            var text = new StringBuilder();
            foreach (var node in summary.DescendantNodes())
            {
                if (node is XText t) text.Append(t.Value);
                else if (node is XElement { Name.LocalName: "see" or "seealso" or "paramref" or "typeparamref" } e && !e.Nodes().Any())
                    text.Append(ShortName((string?)e.Attribute("cref") ?? (string?)e.Attribute("name") ?? (string?)e.Attribute("langword") ?? ""));
            }
            return string.Join(" ", text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private static string ShortName(string cref)
    {
        string name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        int paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0) name = name[..paren];
        string[] parts = name.Split('.');
        return parts.Length >= 2 && cref.StartsWith("T:", StringComparison.Ordinal) is false ? parts[^2] + "." + parts[^1] : parts[^1];
    }

    private Document Current(string code)
    {
        CatchUp();
        var (solution, project) = WithSubmission(_solution, "Typing", code, Path.Combine(_folder, "typing.csx"), _declared);
        return solution.GetProject(project.Id)!.Documents.Single();
    }

    private (Solution, Project) WithSubmission(Solution solution, string name, string code, string filePath, ProjectId? previous)
    {
        var id = ProjectId.CreateNewId();
        var document = DocumentInfo.Create(DocumentId.CreateNewId(id), Path.GetFileName(filePath), sourceCodeKind: SourceCodeKind.Script,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(code, Encoding.UTF8), VersionStamp.Create(), filePath)), filePath: filePath);
        var project = ProjectInfo.Create(id, VersionStamp.Create(), name, name, LanguageNames.CSharp,
            compilationOptions: _options.WithScriptClassName(name), parseOptions: ScriptParse, documents: [document],
            projectReferences: previous is null ? [] : [new ProjectReference(previous)],
            metadataReferences: _references, isSubmission: true);
        solution = solution.AddProject(project);
        return (solution, solution.GetProject(id)!);
    }

    /// <summary><c>#r "path"</c> as the session resolves it (relative to the cell, in the kernel's folder), with the library's XML docs when beside it.</summary>
    private sealed class Resolver(string folder) : MetadataReferenceResolver
    {
        public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties)
        {
            if (reference.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase)) return [];
            string baseDir = Path.GetDirectoryName(baseFilePath) is { Length: > 0 } d ? d : folder;
            string path = Path.GetFullPath(Path.Combine(baseDir, reference));
            if (!File.Exists(path)) return [];
            string xml = Path.ChangeExtension(path, ".xml");
            return [MetadataReference.CreateFromFile(path, properties, File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null)];
        }

        public override bool Equals(object? other) => other is Resolver r && r.Folder == Folder;
        public override int GetHashCode() => Folder.GetHashCode(StringComparison.Ordinal);
        private string Folder => folder;
    }
}
