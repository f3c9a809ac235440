package main

import (
	"fmt"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// resolve reads the runtime options of Pulumi.yaml (or PulumiPolicy.yaml / PulumiPlugin.yaml) as the engine
// sends them: `toolchain` (pip, poetry, uv; default: detected from lock files, else pip), `virtualenv`
// (relative to the project root) and `typechecker` (mypy, pyright).
func resolve(info *pulumirpc.ProgramInfo) (toolchain.Toolchain, toolchain.PythonOptions, error) {
	opts := toolchain.PythonOptions{Root: info.GetRootDirectory(), ProgramDir: info.GetProgramDirectory()}
	raw := info.GetOptions().AsMap()
	if value, ok := raw["virtualenv"]; ok {
		text, isText := value.(string)
		if !isText {
			return nil, opts, fmt.Errorf("runtime option 'virtualenv' must be a path, not %v", value)
		}
		opts.Virtualenv = text
	}
	chosen, set, err := pick(raw, "toolchain", []string{"pip", "poetry", "uv"},
		toolchain.Pip, toolchain.Poetry, toolchain.Uv)
	if err != nil {
		return nil, opts, err
	}
	if set {
		opts.Toolchain = chosen
	}
	checker, set, err := pick(raw, "typechecker", []string{"mypy", "pyright"},
		toolchain.TypeCheckerMypy, toolchain.TypeCheckerPyright)
	if err != nil {
		return nil, opts, err
	}
	if set {
		opts.Typechecker = checker
	}
	tc, err := toolchain.ResolveToolchain(opts)
	return tc, opts, err
}

func typecheckerName(opts toolchain.PythonOptions) string {
	return strings.ToLower(toolchain.TypeCheckerName(opts.Typechecker))
}

// pick is values[i] for the option whose value is names[i] (any case); set is false when the option is absent.
func pick[T any](raw map[string]any, option string, names []string, values ...T) (chosen T, set bool, err error) {
	value, ok := raw[option]
	if !ok {
		return chosen, false, nil
	}
	for i, name := range names {
		if strings.EqualFold(fmt.Sprint(value), name) {
			return values[i], true, nil
		}
	}
	return chosen, false, fmt.Errorf("runtime option '%s' is %q; use %s", option, value, strings.Join(names, ", "))
}
