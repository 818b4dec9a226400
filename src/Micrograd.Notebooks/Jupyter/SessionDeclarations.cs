using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Micrograd.Notebooks.Jupyter;

/// <summary>
/// What a new cell can see of the cells that ran, as one script: every <c>#r</c> and <c>using</c>,
/// then the latest declaration of each name (variables, properties, methods, types), in the order
/// they last ran. A name declared again replaces its earlier declaration, as a later submission
/// hides an earlier one. Statements that declare nothing are left out. The editor compiles this one
/// document rather than a mirror of every cell, so its cost grows with the names a session
/// declares, not with the number of cells it ran.
/// </summary>
internal sealed class SessionDeclarations
{
    private static readonly CSharpParseOptions ScriptParse = new(LanguageVersion.Latest, kind: SourceCodeKind.Script);

    private readonly List<string> _references = new();
    private readonly List<string> _usings = new();
    private readonly Dictionary<string, (long Order, string Text)> _latest = new(StringComparer.Ordinal);
    private long _order;

    /// <summary>Takes in a cell that ran.</summary>
    public void Add(string code)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, ScriptParse).GetRoot();
        foreach (var directive in root.GetReferenceDirectives())
            Once(_references, directive.ToString().Trim());
        foreach (var directive in root.Usings)
            Once(_usings, directive.ToString().Trim());
        foreach (var member in root.Members)
            switch (member)
            {
                case FieldDeclarationSyntax field:
                    // int a = 1, b; → one declaration a name, so that each can be replaced on its own
                    foreach (var variable in field.Declaration.Variables)
                        Declare("v:" + variable.Identifier.ValueText, member, $"{Modifiers(field.Modifiers)}{field.Declaration.Type} {variable};");
                    break;
                case PropertyDeclarationSyntax property:
                    Declare("v:" + property.Identifier.ValueText, member, property.ToString());
                    break;
                case MethodDeclarationSyntax method:
                    Declare($"m:{method.Identifier.ValueText}({string.Join(",", method.ParameterList.Parameters.Select(p => p.Type?.ToString()))})", member, method.ToString());
                    break;
                case BaseTypeDeclarationSyntax type:
                    Declare($"t:{type.Identifier.ValueText}`{(type as TypeDeclarationSyntax)?.TypeParameterList?.Parameters.Count ?? 0}", member, type.ToString());
                    break;
                case DelegateDeclarationSyntax type:
                    Declare($"t:{type.Identifier.ValueText}`{type.TypeParameterList?.Parameters.Count ?? 0}", member, type.ToString());
                    break;
                case GlobalStatementSyntax { Statement: ExpressionStatementSyntax statement }:
                    // var (a, b) = …; int.TryParse(s, out var n); declare script variables too
                    var names = statement.DescendantNodes(n => n is not (LambdaExpressionSyntax or AnonymousMethodExpressionSyntax))
                        .OfType<SingleVariableDesignationSyntax>().Select(d => d.Identifier.ValueText).ToList();
                    if (names.Count == 0) break;
                    foreach (string name in names.Skip(1)) _latest.Remove("v:" + name);
                    Declare("v:" + names[0], member, statement.ToString());
                    break;
            }
    }

    /// <summary>The script: references, usings, then the declarations.</summary>
    public string Text
    {
        get
        {
            var text = new StringBuilder();
            foreach (string line in _references.Concat(_usings)) text.Append(line).Append('\n');
            foreach (var (_, declaration) in _latest.Values.OrderBy(d => d.Order)) text.Append(declaration).Append('\n');
            return text.ToString();
        }
    }

    private void Declare(string key, MemberDeclarationSyntax member, string text) =>
        _latest[key] = (++_order, Documentation(member) + text);

    /// <summary>The member's /// comments (its other leading trivia, #r lines among them, stays behind).</summary>
    private static string Documentation(MemberDeclarationSyntax member) => string.Concat(member.GetLeadingTrivia()
        .Where(t => t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
        .Select(t => t.ToFullString()));

    private static string Modifiers(SyntaxTokenList modifiers) => modifiers.Count == 0 ? "" : modifiers.ToString() + " ";

    private static void Once(List<string> lines, string line)
    {
        if (!lines.Contains(line, StringComparer.Ordinal)) lines.Add(line);
    }
}
