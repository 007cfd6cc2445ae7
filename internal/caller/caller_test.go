package caller

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDone(t *testing.T) {
	errAny := errors.New("read: connection reset by peer")
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	expired, cancel2 := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel2()
	tests := []struct {
		name string
		ctx  context.Context
		err  error
		want bool
	}{
		{"live context", t.Context(), errAny, false},
		{"live context, canceled error from elsewhere", t.Context(), context.Canceled, false},
		{"cancelled context", cancelled, context.Canceled, true},
		{"cancelled context, other error", cancelled, errAny, true},
		{"expired context", expired, context.DeadlineExceeded, true},
		{"cancelled context, no error", cancelled, nil, false},
		{"live context, no error", t.Context(), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Done(tt.ctx, tt.err))
		})
	}
}
