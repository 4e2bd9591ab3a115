"""The Jinja2 sandbox clause templates render in.

Templates are written by people, not programs, so the environment is bounded: includes and
imports stay inside the library's ``templates/`` directory (symbolic links leading out are
refused), templates cannot change the values they are given (an immutable sandbox), every loop,
call and include is a step of :mod:`slagen.limits`, and a missing name is an error
(``StrictUndefined``). Every name a template looks up is recorded while a rendering is recorded
(:mod:`slagen.recording`). Compiled templates may be kept on disk in Jinja's bytecode cache, under
names that carry the versions of slagen, Jinja and this module's code generator.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import FunctionType
from typing import Any

import jinja2
from jinja2 import (
    BytecodeCache,
    FileSystemBytecodeCache,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    nodes,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Environment
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from slagen import __version__, filterbounds, filters, limits
from slagen.recording import DICT_METHODS, RecordingContext, Tracked

RESERVED_GLOBALS = frozenset({"range", "dict", "lipsum", "cycler", "joiner", "namespace", *filters.GLOBALS})
"""Names of the globals templates see; an answer group of the same name is refused when the library loads."""


def make_environment(template_root: Path, *, bytecode_cache: bool = True) -> Environment:
    """The sandbox for the templates under ``template_root``; each template compiles once in its life.

    ``bytecode_cache`` keeps compiled templates in Jinja's per-user cache directory (checked for
    ownership) between runs: compiling the library is most of a cold build.
    """
    env = _Sandbox(
        loader=LibraryLoader(template_root),
        undefined=StrictUndefined,
        finalize=filters.escape_markup,
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        cache_size=-1,
        bytecode_cache=_bytecode_cache() if bytecode_cache else None,
    )
    env.filters.update(filters.FILTERS)
    # Filters that write HTML and mark it safe have no place in a clause; a contract is the same every time.
    for name in ("tojson", "urlize", "xmlattr", "random"):
        del env.filters[name]
    for name, function in list(env.filters.items()):
        env.filters[name] = filterbounds.bounded_filter(name, function)
    for name, test in list(env.tests.items()):
        env.tests[name] = filterbounds.timed_test(test)
    env.globals.update(filters.GLOBALS, range=limits.bounded_range)
    env.globals.pop("lipsum", None)  # writes pages of text on request; no clause needs it
    return env


def _bytecode_cache() -> BytecodeCache | None:
    """Jinja's bytecode cache, its files named by the versions of what compiles the templates."""
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    try:
        return FileSystemBytecodeCache(pattern=f"__slagen_{__version__}_{jinja2.__version__}_{code}_%s.cache")
    except (OSError, RuntimeError):  # no usable temporary directory: compile every time
        return None


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator: every ``for`` loop counted, every ``~`` and every text written bounded."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        guard = nodes.EnvironmentAttribute("slagen_loop")
        if not (isinstance(node.iter, nodes.Call) and node.iter.node == guard):
            node.iter = nodes.Call(guard, [node.iter], [], None, None, lineno=node.iter.lineno)
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # Jinja's, with the operands' texts measured before they are made and joined
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"environment.slagen_sized({join}(environment.slagen_parts((")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))))")

    def _output_const_repr(self, group: Iterable[Any]) -> str:
        return f"environment.slagen_written({super()._output_const_repr(group)})"

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write("environment.slagen_written(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox with the render limits: templates may read their values, not change them."""

    code_generator_class = _CodeGenerator
    context_class = RecordingContext
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        limits.check_binop(operator, left, right)
        return limits.limited(super().call_binop(context, operator, left, right))

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        limits.step()
        takes_context = filters.HELPERS.get(obj) if type(obj) is FunctionType else None
        if takes_context is not None:  # slagen's own ref/define/term/target: safe, their results small
            return filters.call_helper(context, obj, takes_context, args, kwargs)
        function = getattr(obj, "__wrapped__", obj)  # str.format comes wrapped by the sandbox
        owner = getattr(function, "__self__", None)
        if isinstance(owner, str):
            args = limits.check_str_method(owner, getattr(function, "__name__", ""), args, kwargs)
        return limits.limited(super().call(context, obj, *args, **kwargs))

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> Template:
        limits.step()
        return super().get_template(name, parent, globals)

    def select_template(self, names: Any, parent: str | None = None, globals: Any = None) -> Template:
        limits.step()
        return super().select_template(names, parent, globals)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``obj.attribute``; on a tracked mapping as on a ``dict``: its reading methods, else its key."""
        if type(obj) is not Tracked:
            return super().getattr(obj, attribute)
        if hasattr(dict, attribute):
            return self._dict_attribute(obj, attribute)
        try:
            return obj[attribute]
        except (TypeError, LookupError):
            return self.undefined(obj=obj._slagen_data, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        """``obj[argument]``; on a tracked mapping as on a ``dict``: its key, else its reading methods."""
        if type(obj) is not Tracked:
            return super().getitem(obj, argument)
        try:
            return obj[argument]
        except (TypeError, LookupError):
            if isinstance(argument, str) and hasattr(dict, argument):
                return self._dict_attribute(obj, argument)
            return self.undefined(obj=obj._slagen_data, name=argument)

    def _dict_attribute(self, obj: Tracked, attribute: str) -> Any:
        if attribute in DICT_METHODS:
            return getattr(obj, attribute)
        return self.unsafe_undefined(obj._slagen_data, attribute)

    def slagen_loop(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Every ``for`` loop iterates through this: each item is a step."""
        for item in iterable:
            limits.step()
            yield item

    def slagen_parts(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        """The operands of every ``~`` concatenation, before their texts are made."""
        limits.check_texts(values)
        return values

    def slagen_sized(self, value: Any) -> Any:
        """Every ``~`` concatenation ends here."""
        return limits.limited(value)

    slagen_written = staticmethod(limits.written)
    """Every text a template writes (its own, and each value it prints) is counted."""


class LibraryLoader(FileSystemLoader):
    """Templates from the library's ``templates/`` directory only.

    Jinja already refuses ``..`` in a name; this loader also refuses a name whose file,
    after following symbolic links, lies outside the directory, before reading it.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        super().__init__(str(self.root))

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        """The source of ``template``, if its file lies inside the directory."""
        where = "the library's templates directory"
        try:
            path = self.root.joinpath(*split_template_path(template)).resolve()
        except (TemplateNotFound, OSError, ValueError):
            message = f"template name {template!r} is not allowed (a path inside {where}, without '..')"
            raise TemplateNotFound(template, message) from None
        if not path.is_relative_to(self.root):
            raise TemplateNotFound(template, f"template {template!r} leads outside {where} (a symbolic link?)")
        try:
            return super().get_source(environment, template)
        except TemplateNotFound:
            raise TemplateNotFound(template, f"no template {template!r} in {where}") from None
