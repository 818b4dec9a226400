using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Micrograd.Execution;

/// <summary>
/// Makes a cell interruptible: a call to <see cref="Interrupts.Check"/> at the head of every loop,
/// at every goto target, at the entry of every method, constructor, local function and block
/// lambda the cell declares (recursion), and first thing in every catch (so that
/// <c>catch (Exception)</c> cannot swallow an interrupt). Nothing is added on a line of its own,
/// so the cell's line numbers stay as the learner wrote them.
/// </summary>
internal sealed class InterruptRewriter : CSharpSyntaxRewriter
{
    private static readonly StatementSyntax CheckCall = ParseStatement("global::Micrograd.Execution.Interrupts.Check();");

    public static SyntaxTree Rewrite(SyntaxTree tree) =>
        tree.WithRootAndOptions(new InterruptRewriter().Visit(tree.GetRoot()), tree.Options);

    private static BlockSyntax Guard(BlockSyntax block) => block.WithStatements(block.Statements.Insert(0, CheckCall));

    private static StatementSyntax Guard(StatementSyntax body) => body is BlockSyntax block
        ? Guard(block)
        : Block(CheckCall, body.WithoutTrivia()).WithTriviaFrom(body);

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node) =>
        ((WhileStatementSyntax)base.VisitWhileStatement(node)!) is var n ? n.WithStatement(Guard(n.Statement)) : null;

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node) =>
        ((DoStatementSyntax)base.VisitDoStatement(node)!) is var n ? n.WithStatement(Guard(n.Statement)) : null;

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node) =>
        ((ForStatementSyntax)base.VisitForStatement(node)!) is var n ? n.WithStatement(Guard(n.Statement)) : null;

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node) =>
        ((ForEachStatementSyntax)base.VisitForEachStatement(node)!) is var n ? n.WithStatement(Guard(n.Statement)) : null;

    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node) =>
        ((ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!) is var n ? n.WithStatement(Guard(n.Statement)) : null;

    public override SyntaxNode? VisitLabeledStatement(LabeledStatementSyntax node) =>
        ((LabeledStatementSyntax)base.VisitLabeledStatement(node)!) is var n ? n.WithStatement(Guard(n.Statement)) : null;

    public override SyntaxNode? VisitCatchClause(CatchClauseSyntax node) =>
        ((CatchClauseSyntax)base.VisitCatchClause(node)!) is var n ? n.WithBlock(Guard(n.Block)) : null;

    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var n = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        if (n.Body is { } body) return n.WithBody(Guard(body));
        if (n.ExpressionBody is { } arrow) return IsVoid(n.ReturnType) ? n.WithExpressionBody(null).WithSemicolonToken(default).WithBody(Body(arrow, n.SemicolonToken)) : n.WithExpressionBody(Guarded(arrow));
        return n;
    }

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var n = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        if (n.Body is { } body) return n.WithBody(Guard(body));
        if (n.ExpressionBody is { } arrow) return IsVoid(n.ReturnType) ? n.WithExpressionBody(null).WithSemicolonToken(default).WithBody(Body(arrow, n.SemicolonToken)) : n.WithExpressionBody(Guarded(arrow));
        return n;
    }

    public override SyntaxNode? VisitConstructorDeclaration(ConstructorDeclarationSyntax node)
    {
        var n = (ConstructorDeclarationSyntax)base.VisitConstructorDeclaration(node)!;
        return n.Body is { } body ? n.WithBody(Guard(body)) : n;
    }

    public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
    {
        var n = (ParenthesizedLambdaExpressionSyntax)base.VisitParenthesizedLambdaExpression(node)!;
        return n.Block is { } block ? n.WithBlock(Guard(block)) : n;
    }

    public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
    {
        var n = (SimpleLambdaExpressionSyntax)base.VisitSimpleLambdaExpression(node)!;
        return n.Block is { } block ? n.WithBlock(Guard(block)) : n;
    }

    public override SyntaxNode? VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node)
    {
        var n = (AnonymousMethodExpressionSyntax)base.VisitAnonymousMethodExpression(node)!;
        return n.WithBlock(Guard(n.Block));
    }

    private static bool IsVoid(TypeSyntax type) => type is PredefinedTypeSyntax p && p.Keyword.IsKind(SyntaxKind.VoidKeyword);

    /// <summary><c>=> e</c> of a value-returning member as <c>=> Go() ? e : throw Stopped()</c>: checked before e runs.</summary>
    private static ArrowExpressionClauseSyntax Guarded(ArrowExpressionClauseSyntax arrow) =>
        arrow.WithExpression(ConditionalExpression(
            ParseExpression("global::Micrograd.Execution.Interrupts.Go()"),
            ParenthesizedExpression(arrow.Expression.WithoutTrivia()),
            ThrowExpression(ParseExpression("global::Micrograd.Execution.Interrupts.Stopped()"))).WithTriviaFrom(arrow.Expression));

    /// <summary><c>=> e;</c> of a void member as <c>{ Check(); e; }</c>, on the same line.</summary>
    private static BlockSyntax Body(ArrowExpressionClauseSyntax arrow, SyntaxToken semicolon) =>
        Block(CheckCall, ExpressionStatement(arrow.Expression.WithoutTrivia())).WithTriviaFrom(arrow).WithTrailingTrivia(semicolon.TrailingTrivia);
}
