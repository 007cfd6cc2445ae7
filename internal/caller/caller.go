// Package caller tells the caller's own cancellation apart from the
// service's failures, for the client and the CLI alike.
package caller

import "context"

// Done reports whether err is the caller's own doing rather than the
// service's: ctx has ended (cancelled, or its deadline passed). Such an
// error says nothing about the service and is returned to the caller as
// it is, not classified.
func Done(ctx context.Context, err error) bool {
	return err != nil && ctx.Err() != nil
}
