package main

import (
	"errors"
	"fmt"
	"io"
	"os/exec"
	"sync"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// RunPlugin runs a plugin written in Python from its directory, with the virtualenv its PulumiPolicy.yaml or
// PulumiPlugin.yaml names: a policy pack (kind "analyzer") through the SDK's `python -m pulumi.policy <engine
// args> <pack dir>`, anything else as `python -u <dir> <args>` (the directory's __main__.py).
// Output and the exit code are streamed back; the engine reads the plugin's port from its first stdout line.
func (h *host) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	info := programInfo(req.GetInfo(), req.GetPwd(), req.GetProgram())
	tc, _, err := resolve(info)
	if err != nil {
		return err
	}
	if err := tc.ValidateVenv(server.Context()); err != nil {
		return err
	}
	var args []string
	if req.GetKind() == "analyzer" {
		args = append([]string{"-u", "-m", "pulumi.policy"}, req.GetArgs()...)
		args = append(args, info.GetProgramDirectory())
	} else {
		args = append([]string{"-u", entryPoint(info)}, req.GetArgs()...)
	}
	cmd, err := tc.Command(server.Context(), args...)
	if err != nil {
		return err
	}
	// The engine's environment for the plugin, then the virtualenv's activation on top of it.
	cmd.Env = append(append([]string{}, req.GetEnv()...), activation(cmd)...)
	cmd.Dir = req.GetPwd()
	stream := &serialSender{}
	cmd.Stdout = stream.writer(func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: b}})
	})
	cmd.Stderr = stream.writer(func(b []byte) error {
		return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: b}})
	})
	cmd.WaitDelay = waitDelay
	code := int32(0)
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return fmt.Errorf("could not start the Python plugin in %s: %w", info.GetProgramDirectory(), err)
		}
		code = int32(exit.ExitCode())
	}
	return server.Send(&pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: code}})
}

// activation is what the toolchain changed in the command's environment to activate a virtualenv (PATH,
// VIRTUAL_ENV); later entries win, so appending it to the engine's environment applies it.
func activation(cmd *exec.Cmd) []string {
	var changed []string
	for _, entry := range cmd.Env {
		for _, key := range []string{"PATH=", "VIRTUAL_ENV="} {
			if len(entry) >= len(key) && entry[:len(key)] == key {
				changed = append(changed, entry)
			}
		}
	}
	return changed
}

// waitDelay bounds how long a finished plugin's output is still read (a grandchild may hold its pipes open).
const waitDelay = 5 * time.Second

// serialSender lets a process's stdout and stderr, copied by two goroutines, share one gRPC stream: a stream
// takes one Send at a time.
type serialSender struct{ mu sync.Mutex }

// writer sends every write as one message (a copy, since gRPC may hold the buffer).
func (s *serialSender) writer(send func([]byte) error) io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if err := send(append([]byte(nil), p...)); err != nil {
			return 0, err
		}
		return len(p), nil
	})
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
