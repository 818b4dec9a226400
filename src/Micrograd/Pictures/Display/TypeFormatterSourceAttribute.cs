using System;

namespace Micrograd.Pictures.Display;

/// <summary>
/// The notebook kernel's convention: a type carrying an attribute of this name gets its HTML from
/// the formatter source it names. The kernel matches by name, so no package is referenced.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class TypeFormatterSourceAttribute : Attribute
{
    public TypeFormatterSourceAttribute(Type formatterSourceType) => FormatterSourceType = formatterSourceType;

    public Type FormatterSourceType { get; }
}
