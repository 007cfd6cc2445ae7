package client_test

import (
	"time"

	"github.com/downfor/downfor/probe"
)

// probeConfig is a probe configuration with the given cache period.
func probeConfig(cacheFor time.Duration) probe.Config {
	return probe.Config{CacheFor: cacheFor, Timeout: time.Second}
}
