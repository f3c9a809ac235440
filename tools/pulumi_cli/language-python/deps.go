package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// plugins.py prints the resource plugins that installed Python packages declare (pulumi-plugin.json).
//
//go:embed plugins.py
var pluginsScript string

// InstallDependencies (`pulumi install`, `pulumi new`): create the virtualenv if needed and install the
// project's requirements with its toolchain, streaming the output.
func (h *host) InstallDependencies(req *pulumirpc.InstallDependenciesRequest,
	server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	info := programInfo(req.GetInfo(), req.GetDirectory(), "")
	tc, _, err := resolve(info)
	if err != nil {
		return err
	}
	stream := &serialSender{}
	stdout := stream.writer(func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: b})
	})
	stderr := stream.writer(func(b []byte) error {
		return server.Send(&pulumirpc.InstallDependenciesResponse{Stderr: b})
	})
	ctx := server.Context()
	if err := tc.EnsureVenv(ctx, info.GetRootDirectory(), req.GetUseLanguageVersionTools(), true, stdout,
		stderr); err != nil {
		return err
	}
	return tc.InstallDependencies(ctx, info.GetRootDirectory(), req.GetUseLanguageVersionTools(), true, stdout,
		stderr)
}

// About (`pulumi about`): the Python executable and version the project runs with.
func (h *host) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	tc, _, err := resolve(programInfo(req.GetInfo(), ".", ""))
	if err != nil {
		return nil, err
	}
	about, err := tc.About(ctx)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{Executable: about.PythonExecutable, Version: about.PythonVersion.String()}, nil
}

// GetProgramDependencies (`pulumi about`): the packages installed in the project's environment.
func (h *host) GetProgramDependencies(ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest) (
	*pulumirpc.GetProgramDependenciesResponse, error,
) {
	tc, _, err := resolve(programInfo(req.GetInfo(), req.GetPwd(), req.GetProgram()))
	if err != nil {
		return nil, err
	}
	packages, err := tc.ListPackages(ctx, req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	result := &pulumirpc.GetProgramDependenciesResponse{}
	for _, p := range packages {
		result.Dependencies = append(result.Dependencies, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return result, nil
}

// declaredPlugin is one line of plugins.py's output.
type declaredPlugin struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Server  string `json:"server"`
}

func (h *host) declaredPlugins(ctx context.Context, info *pulumirpc.ProgramInfo) ([]declaredPlugin, error) {
	tc, _, err := resolve(info)
	if err != nil {
		return nil, err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return nil, err
	}
	cmd, err := tc.Command(ctx, "-c", pluginsScript)
	if err != nil {
		return nil, err
	}
	cmd.Dir = info.GetProgramDirectory()
	out, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			err = fmt.Errorf("%w: %s", err, strings.TrimSpace(string(exit.Stderr)))
		}
		return nil, fmt.Errorf("listing the resource plugins of the installed Python packages: %w", err)
	}
	var plugins []declaredPlugin
	if err := json.Unmarshal(out, &plugins); err != nil {
		return nil, fmt.Errorf("listing the resource plugins of the installed Python packages: %w", err)
	}
	return plugins, nil
}

// GetRequiredPackages: the resource plugins the program's installed packages declare, for the engine to install.
func (h *host) GetRequiredPackages(ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest) (
	*pulumirpc.GetRequiredPackagesResponse, error,
) {
	plugins, err := h.declaredPlugins(ctx, programInfo(req.GetInfo(), ".", ""))
	if err != nil {
		return nil, err
	}
	result := &pulumirpc.GetRequiredPackagesResponse{}
	for _, p := range plugins {
		result.Packages = append(result.Packages, &pulumirpc.PackageDependency{
			Kind: "resource", Name: p.Name, Version: p.Version, Server: p.Server,
		})
	}
	return result, nil
}
