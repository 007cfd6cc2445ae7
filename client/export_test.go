package client

import "github.com/hashicorp/go-retryablehttp"

// What the tests of package client_test reach that users do not: the
// defaults each field's doc states, and the hooks of Client.Install one by
// one.
const (
	DefaultMaxWait        = defaultMaxWait
	DefaultRetries        = defaultRetries
	DefaultFloor          = defaultFloor
	DefaultErrorBodyLimit = defaultErrorBodyLimit
	DefaultMaxRedirects   = defaultMaxRedirects
)

var ParseAction = parseAction

func (c *Client) CheckRetry() retryablehttp.CheckRetry     { return c.hookCheckRetry() }
func (c *Client) Backoff() retryablehttp.Backoff           { return c.hookBackoff() }
func (c *Client) ErrorHandler() retryablehttp.ErrorHandler { return c.hookErrorHandler() }
