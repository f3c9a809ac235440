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
	if value, ok := raw["toolchain"]; ok {
		switch strings.ToLower(fmt.Sprint(value)) {
		case "pip":
			opts.Toolchain = toolchain.Pip
		case "poetry":
			opts.Toolchain = toolchain.Poetry
		case "uv":
			opts.Toolchain = toolchain.Uv
		default:
			return nil, opts, fmt.Errorf("runtime option 'toolchain' is %q; use pip, poetry or uv", value)
		}
	}
	if value, ok := raw["typechecker"]; ok {
		switch strings.ToLower(fmt.Sprint(value)) {
		case "mypy":
			opts.Typechecker = toolchain.TypeCheckerMypy
		case "pyright":
			opts.Typechecker = toolchain.TypeCheckerPyright
		default:
			return nil, opts, fmt.Errorf("runtime option 'typechecker' is %q; use mypy or pyright", value)
		}
	}
	tc, err := toolchain.ResolveToolchain(opts)
	return tc, opts, err
}

func typecheckerName(opts toolchain.PythonOptions) string {
	return strings.ToLower(toolchain.TypeCheckerName(opts.Typechecker))
}
