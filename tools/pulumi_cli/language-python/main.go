// Command pulumi-language-python is this project's Python language host for the Pulumi CLI that `make pulumi`
// builds: the Go module proxy does not serve Pulumi's own host (sdk/python/cmd/pulumi-language-python/v3), so
// the CLI would otherwise run no Python program at all. Written for this project on the SDK's public packages
// (pulumirpc, rpcutil, python/toolchain); nothing here is copied from Pulumi's host.
//
// The engine starts it with its own flags (-v=N, --logtostderr, --tracing ADDR, ...) and the engine address as
// the last argument, reads the gRPC port from the first line of stdout, and stops it when done.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
)

// version is stamped by ensure.sh with the CLI's version (-X main.version=...).
var version = "0.0.0-dev"

func main() {
	engine := engineAddress(os.Args[1:])
	if engine == "" {
		fmt.Fprintln(os.Stderr, "pulumi-language-python: missing the engine address (it is started by the Pulumi CLI)")
		os.Exit(1)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Exit when the engine goes away (a killed CLI), so no host outlives it for long.
	if err := rpcutil.Healthcheck(ctx, engine, 5*time.Second, cancel); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: cannot reach the engine at %s: %v\n", engine, err)
		os.Exit(1)
	}
	cancelChannel := make(chan bool)
	go func() {
		<-ctx.Done()
		close(cancelChannel)
	}()
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancelChannel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, newHost(engine))
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: could not start the gRPC server: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
		os.Exit(1)
	}
}

// engineAddress is the last argument that is not a flag; flags the engine adds (and their values) are skipped.
func engineAddress(args []string) string {
	address := ""
	for i := 0; i < len(args); i++ {
		arg := args[i]
		switch {
		case arg == "--tracing" || arg == "-tracing" || arg == "-root" || arg == "--root":
			i++ // a flag with a separate value
		case strings.HasPrefix(arg, "-"):
		default:
			address = arg
		}
	}
	return address
}
