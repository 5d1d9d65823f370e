#!/usr/bin/env python3
"""Lists the Swift functions longer than a limit (80 lines by default) and fails when there are any.

    scripts/function-lengths.py [--max N] [--all] [PATH ...]     (default PATH: Sources)

A function is a `func`, `init`, `deinit` or `subscript` with a body; its length is the number of lines
from the line of its keyword to the line of its closing brace, both included (doc comments above it
are not counted, blank lines and comments inside are). Nested functions count inside their outer
function and on their own.

It is a lexer, not a parser: comments and string literals (plain, multi-line and raw, with their
interpolations, which may hold closures and strings of their own) are blanked first, so braces inside
them do not count; then each declaration's body is the first `{` after it outside parentheses, and
its end the brace that matches. A requirement without a body (in a protocol) ends at the first `}`
or at the next declaration, and is not reported. `FunctionLengthTests` checks the lexer on the cases
that could fool it, and runs it over Sources.
"""
import argparse
import os
import re
import sys


def blank_comments_and_strings(text):
    """`text` with every comment and string literal's characters replaced by spaces (newlines kept),
    and the code inside string interpolations kept, so that offsets and line numbers are unchanged."""
    out = list(text)
    n = len(text)
    i = 0
    # A stack of contexts: ('code', paren_depth) for code (the bottom one, and each interpolation),
    # ('string', hashes, multiline) for a string literal.
    stack = [('code', 0)]

    def blank(a, b):
        for k in range(a, b):
            if out[k] != '\n':
                out[k] = ' '

    while i < n:
        top = stack[-1]
        c = text[i]
        if top[0] == 'code':
            if text.startswith('//', i):
                end = text.find('\n', i)
                end = n if end < 0 else end
                blank(i, end)
                i = end
            elif text.startswith('/*', i):
                depth, j = 1, i + 2
                while j < n and depth > 0:   # Swift's block comments nest
                    if text.startswith('/*', j):
                        depth, j = depth + 1, j + 2
                    elif text.startswith('*/', j):
                        depth, j = depth - 1, j + 2
                    else:
                        j += 1
                blank(i, j)
                i = j
            elif c == '#' or c == '"':
                m = re.match(r'(#*)("""|")', text[i:i + 64])
                if m is None:   # a `#` of a directive or `#selector`, not a raw string
                    i += 1
                    continue
                hashes, quote = len(m.group(1)), m.group(2)
                start = i + m.end()
                blank(i, start)
                stack.append(('string', hashes, quote == '"""'))
                i = start
            elif c == '(' and len(stack) > 1:
                stack[-1] = ('code', top[1] + 1)
                i += 1
            elif c == ')' and len(stack) > 1:
                if top[1] == 0:   # the end of an interpolation: back into its string
                    blank(i, i + 1)
                    stack.pop()
                else:
                    stack[-1] = ('code', top[1] - 1)
                i += 1
            else:
                i += 1
        else:
            _, hashes, multiline = top
            closing = ('"""' if multiline else '"') + '#' * hashes
            escape = '\\' + '#' * hashes
            if text.startswith(closing, i):
                blank(i, i + len(closing))
                stack.pop()
                i += len(closing)
            elif text.startswith(escape + '(', i):
                blank(i, i + len(escape) + 1)
                stack.append(('code', 0))
                i += len(escape) + 1
            elif text.startswith(escape, i):
                blank(i, i + len(escape) + 1)   # the escape and the character it escapes
                i += len(escape) + 1
            else:
                if c != '\n':
                    out[i] = ' '
                i += 1
    return ''.join(out)


DECLARATION = re.compile(r'(?<![\w.])(func\s+[^\s(<]+|init[?!]?(?=\s*[<(])|deinit\b|subscript(?=\s*[<(]))')
# What ends a bodiless requirement before a `{` is reached.
NEXT_DECLARATION = re.compile(r'\n\s*(@\w+\s+)*((public|private|fileprivate|internal|static|mutating|override|'
                              r'final|nonisolated|required|convenience)\s+)*(func|init|deinit|subscript|var|let|'
                              r'case|associatedtype|typealias)\b')


def functions(text):
    """(name, first line, last line) of each function with a body in Swift source `text`."""
    code = blank_comments_and_strings(text)
    found = []
    for match in DECLARATION.finditer(code):
        start = match.start()
        depth, i, body = 0, match.end(), None
        while i < len(code):
            c = code[i]
            if c in '([':
                depth += 1
            elif c in ')]':
                depth -= 1
            elif depth == 0 and c == '}':
                break
            elif depth == 0 and c == '{':
                body = i
                break
            elif depth == 0 and c == '\n' and NEXT_DECLARATION.match(code, i):
                break
            i += 1
        if body is None:
            continue
        braces, j = 0, body
        while j < len(code):
            if code[j] == '{':
                braces += 1
            elif code[j] == '}':
                braces -= 1
                if braces == 0:
                    break
            j += 1
        name = re.sub(r'^func\s+', '', match.group(1))
        found.append((name, code.count('\n', 0, start) + 1, code.count('\n', 0, j) + 1))
    return found


def swift_files(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for folder, _, names in sorted(os.walk(path)):
            for name in sorted(names):
                if name.endswith('.swift'):
                    yield os.path.join(folder, name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--max', type=int, default=80, help='the longest a function may be, in lines (80)')
    parser.add_argument('--all', action='store_true', help='list every function, longest first, and never fail')
    parser.add_argument('paths', nargs='*', default=['Sources'])
    arguments = parser.parse_args()
    rows = []
    for path in swift_files(arguments.paths):
        with open(path, encoding='utf-8') as file:
            for name, first, last in functions(file.read()):
                rows.append((last - first + 1, path, first, name))
    rows.sort(key=lambda row: (-row[0], row[1], row[2]))
    long = [row for row in rows if row[0] > arguments.max]
    for length, path, first, name in (rows if arguments.all else long):
        print(f'{length:4d} lines  {path}:{first}  {name}')
    if arguments.all:
        return 0
    if long:
        print(f'{len(long)} function{"s" if len(long) != 1 else ""} over {arguments.max} lines', file=sys.stderr)
        return 1
    print(f'{len(rows)} functions, none over {arguments.max} lines')
    return 0


if __name__ == '__main__':
    sys.exit(main())
