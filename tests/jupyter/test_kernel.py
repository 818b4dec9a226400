"""Jupyter's own kernel conformance suite (jupyter_kernel_test) against the installed kernelspec micrograd-csharp.

Run: /usr/bin/python3 -m unittest -v tests/jupyter/test_kernel.py   (after `kernel install`)
Needs Debian's python3-jupyter-kernel-test (apt-get install -y python3-jupyter-kernel-test python3-jupyter-client).

Every sample the suite takes is set, so that each of its 12 tests runs and none is skipped: the pager
through the kernel's help request (`Math.Sqrt?`, as IPython's `x?`), clear_output through the
kernel's ClearOutput() helper.
"""

import unittest

import jupyter_kernel_test


class MicrogradCSharpKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "micrograd-csharp"
    language_name = "csharp"
    file_extension = ".cs"

    code_hello_world = 'Console.WriteLine("hello, world");'
    code_stderr = 'Console.Error.WriteLine("oops");'

    completion_samples = [
        {"text": "Console.WriteLi", "matches": {"WriteLine"}},
        {"text": "Math.Sqr", "matches": {"Sqrt"}},
        {"text": "var learningRate = 0.05; learningR", "matches": {"learningRate"}},
    ]

    complete_code_samples = ["1 + 1", "var x = 2;", "Console.WriteLine(\"a\");", "int Square(int x) => x * x;", ""]
    incomplete_code_samples = ["if (true) {", "for (int i = 0; i < 3; i++)", "class A {", "var x = 1 +", "Console.WriteLine("]
    invalid_code_samples = ["var x = ;", "1 2 3", "}"]

    code_inspect_sample = "Math.Sqrt"
    code_page_something = "Math.Sqrt?"

    code_clear_output = 'Console.WriteLine("before"); ClearOutput();'

    code_generate_error = 'throw new InvalidOperationException("boom");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": "\"micro\" + \"grad\"", "result": "micrograd"},
        {"code": "Math.Sqrt(16)", "result": "4"},
    ]

    code_display_data = [
        {"code": 'display("<b>bold</b>", "text/html");', "mime": "text/html"},
        {"code": "display(3.5);", "mime": "text/plain"},
    ]

    code_history_pattern = "6?*7"
    supported_history_operations = ("tail", "range", "search")


if __name__ == "__main__":
    unittest.main()
