package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
	"google.golang.org/protobuf/types/known/emptypb"
)

// runner.py is the Python side of Run: it configures the SDK and runs the program (see its docstring).
//
//go:embed runner.py
var runnerScript string

// userMessageShown is the runner's exit code after it has reported an error through the engine, so the engine
// prints nothing more (RunResponse.Bail): every program error is printed once.
const userMessageShown = 32

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	engine string
}

func newHost(engine string) *host { return &host{engine: engine} }

func (h *host) Handshake(context.Context, *pulumirpc.LanguageHandshakeRequest) (
	*pulumirpc.LanguageHandshakeResponse, error,
) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (h *host) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// Run runs the program with the project's toolchain and virtualenv (Pulumi.yaml `runtime.options`).
func (h *host) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := programInfo(req.GetInfo(), req.GetPwd(), req.GetProgram())
	tc, opts, err := resolve(info)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	if failed := typecheck(ctx, tc, opts, info.GetProgramDirectory()); failed != "" {
		return &pulumirpc.RunResponse{Error: failed}, nil
	}
	args := []string{"-u", "-c", runnerScript,
		"--monitor", req.GetMonitorAddress(), "--engine", h.engine,
		"--project", req.GetProject(), "--stack", req.GetStack(), "--pwd", req.GetPwd(),
		"--dry_run", strconv.FormatBool(req.GetDryRun()), "--parallel", strconv.Itoa(int(req.GetParallel())),
		"--organization", req.GetOrganization(), "--root_directory", info.GetRootDirectory(),
		"--", entryPoint(info)}
	args = append(args, req.GetArgs()...)
	cmd, err := tc.Command(ctx, args...)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	config, err := json.Marshal(nonNilMap(req.GetConfig()))
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(nonNil(req.GetConfigSecretKeys()))
	if err != nil {
		return nil, err
	}
	cmd.Env = append(environ(cmd), "PULUMI_CONFIG="+string(config), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys))
	cmd.Dir = req.GetPwd()
	cmd.WaitDelay = waitDelay
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			if exit.ExitCode() == userMessageShown {
				return &pulumirpc.RunResponse{Bail: true}, nil
			}
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d",
				exit.ExitCode())}, nil
		}
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not start the Python program: %v", err)}, nil
	}
	return &pulumirpc.RunResponse{}, nil
}

// programInfo fills in ProgramInfo for engines that send only the older pwd/program fields.
func programInfo(info *pulumirpc.ProgramInfo, pwd, program string) *pulumirpc.ProgramInfo {
	if info != nil && info.GetProgramDirectory() != "" {
		return info
	}
	if program == "" {
		program = "."
	}
	dir := pwd
	if !filepath.IsAbs(program) && program != "." {
		dir = filepath.Join(pwd, program)
	} else if program != "." {
		dir = program
	}
	return &pulumirpc.ProgramInfo{RootDirectory: pwd, ProgramDirectory: dir, EntryPoint: "."}
}

// entryPoint is what the runner executes: the program directory (its __main__.py) or Pulumi.yaml's `main` file.
func entryPoint(info *pulumirpc.ProgramInfo) string {
	if info.GetEntryPoint() == "" || info.GetEntryPoint() == "." {
		return info.GetProgramDirectory()
	}
	return filepath.Join(info.GetProgramDirectory(), info.GetEntryPoint())
}

// environ is the command's environment (the toolchain activates a virtualenv by setting it), else the host's.
func environ(cmd *exec.Cmd) []string {
	if cmd.Env != nil {
		return cmd.Env
	}
	return os.Environ()
}

func nonNilMap(config map[string]string) map[string]string {
	if config == nil {
		return map[string]string{}
	}
	return config
}

func nonNil(keys []string) []string {
	if keys == nil {
		return []string{}
	}
	return keys
}

// typecheck runs mypy or pyright on the program when Pulumi.yaml asks for it; it returns the failure, or "".
func typecheck(ctx context.Context, tc toolchain.Toolchain, opts toolchain.PythonOptions, dir string) string {
	module := map[string]string{"mypy": "mypy", "pyright": "pyright"}[typecheckerName(opts)]
	if module == "" {
		return ""
	}
	if probe, err := tc.Command(ctx, "-c", "import "+module); err != nil || probe.Run() != nil {
		return fmt.Sprintf("Pulumi.yaml asks for the %s type checker, but the project's Python environment does "+
			"not have it: add %s to the requirements and run `pulumi install`", module, module)
	}
	cmd, err := tc.ModuleCommand(ctx, module, dir)
	if err != nil {
		return err.Error()
	}
	cmd.Dir = dir // the type checker reads its settings from the program's folder
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Sprintf("%s type checking failed: %v", module, err)
	}
	return ""
}
