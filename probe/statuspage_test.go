package probe

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
)

const (
	ssp      = classify.SourceStatusPage
	none     = classify.None
	implied  = classify.Implied
	explicit = classify.Explicit
	maint    = classify.Maintenance
	malf     = classify.Malfunction
)

func TestParseStatusPage(t *testing.T) {
	var zero time.Time
	upgrade := func(status string) got {
		return got{ssp, "maintenance", status, explicit, maint, "Database upgrade", utc("2026-11-23T06:00:00Z"), utc("2026-11-23T10:00:00Z")}
	}
	tests := []struct {
		name       string
		kind       string
		fixture    string
		components []string
		want       []got
	}{
		{name: "Statuspage maintenance in progress", kind: KindStatuspage, fixture: "statuspage_maintenance.json", want: []got{
			{ssp, "indicator", "maintenance", explicit, maint, "Service Under Maintenance", zero, utc("2026-11-23T10:00:00Z")},
			upgrade("in_progress"),
			{ssp, "component", "API: under_maintenance", explicit, maint, "", zero, utc("2026-11-23T10:00:00Z")},
		}},
		{name: "Statuspage incident during maintenance", kind: KindStatuspage, fixture: "statuspage_maintenance_incident.json", want: []got{
			{ssp, "indicator", "maintenance", explicit, maint, "Service Under Maintenance", zero, utc("2026-11-23T10:00:00Z")},
			upgrade("verifying"),
			{ssp, "incident", "investigating (major)", explicit, malf, "Elevated error rates after the database upgrade", zero, zero},
			{ssp, "component", "API: under_maintenance", explicit, maint, "", zero, utc("2026-11-23T10:00:00Z")},
		}},
		{name: "Statuspage incident", kind: KindStatuspage, fixture: "statuspage_incident.json", want: []got{
			{ssp, "indicator", "critical", implied, malf, "Major System Outage", zero, zero},
			{ssp, "incident", "identified (critical)", explicit, malf, "API unavailable", zero, zero},
			{ssp, "component", "API: major_outage", implied, malf, "", zero, zero},
		}},
		{name: "Statuspage upcoming and open windows", kind: KindStatuspage, fixture: "statuspage_upcoming.json", want: []got{
			{ssp, "indicator", "none", none, classify.OK, "All Systems Operational", zero, zero},
			{ssp, "maintenance-window", "scheduled (window open)", implied, maint, "Certificate rotation", utc("2026-11-23T06:30:00Z"), utc("2026-11-23T07:30:00Z")},
			{ssp, "upcoming-maintenance", "scheduled", none, maint, "Network maintenance", utc("2026-11-24T06:00:00Z"), utc("2026-11-24T08:00:00Z")},
		}},
		{name: "Statuspage shared page, everything", kind: KindStatuspage, fixture: "statuspage_shared.json", want: []got{
			{ssp, "indicator", "maintenance (another component is in an outage; select components to tell)", implied, maint, "Partial System Outage", zero, utc("2026-11-23T08:00:00Z")},
			{ssp, "maintenance", "in_progress (another component is in an outage; select components to tell)", implied, maint, "API gateway upgrade", utc("2026-11-23T06:00:00Z"), utc("2026-11-23T08:00:00Z")},
			{ssp, "incident", "monitoring (minor)", explicit, malf, "Invoices delayed", zero, zero},
			{ssp, "component", "API: under_maintenance (another component is in an outage; select components to tell)", implied, maint, "", zero, utc("2026-11-23T08:00:00Z")},
			{ssp, "component", "Billing: partial_outage", implied, malf, "", zero, zero},
			{ssp, "upcoming-maintenance", "scheduled", none, maint, "Whole-page announcement", utc("2026-11-30T00:00:00Z"), utc("2026-11-30T02:00:00Z")},
		}},
		{name: "Statuspage shared page, API only", kind: KindStatuspage, fixture: "statuspage_shared.json", components: []string{"api"}, want: []got{
			{ssp, "indicator", "maintenance (page-wide; components selected)", none, classify.OK, "Partial System Outage", zero, zero},
			{ssp, "maintenance", "in_progress", explicit, maint, "API gateway upgrade", utc("2026-11-23T06:00:00Z"), utc("2026-11-23T08:00:00Z")},
			{ssp, "component", "API: under_maintenance", explicit, maint, "", zero, utc("2026-11-23T08:00:00Z")},
			{ssp, "upcoming-maintenance", "scheduled", none, maint, "Whole-page announcement", utc("2026-11-30T00:00:00Z"), utc("2026-11-30T02:00:00Z")},
		}},
		{name: "Statuspage shared page, Billing by id", kind: KindStatuspage, fixture: "statuspage_shared.json", components: []string{" CMP0BILLING3 "}, want: []got{
			{ssp, "indicator", "maintenance (page-wide; components selected)", none, classify.OK, "Partial System Outage", zero, zero},
			{ssp, "incident", "monitoring (minor)", explicit, malf, "Invoices delayed", zero, zero},
			{ssp, "component", "Billing: partial_outage", implied, malf, "", zero, zero},
			{ssp, "upcoming-maintenance", "scheduled", none, maint, "Whole-page announcement", utc("2026-11-30T00:00:00Z"), utc("2026-11-30T02:00:00Z")},
		}},
		{name: "Statuspage shared page, a group selects its members", kind: KindStatuspage, fixture: "statuspage_shared.json", components: []string{"Platform"}, want: []got{
			{ssp, "indicator", "maintenance (page-wide; components selected)", none, classify.OK, "Partial System Outage", zero, zero},
			{ssp, "maintenance", "in_progress", explicit, maint, "API gateway upgrade", utc("2026-11-23T06:00:00Z"), utc("2026-11-23T08:00:00Z")},
			{ssp, "component", "API: under_maintenance", explicit, maint, "", zero, utc("2026-11-23T08:00:00Z")},
			{ssp, "upcoming-maintenance", "scheduled", none, maint, "Whole-page announcement", utc("2026-11-30T00:00:00Z"), utc("2026-11-30T02:00:00Z")},
		}},
		{name: "Statuspage shared page, unknown component", kind: KindStatuspage, fixture: "statuspage_shared.json", components: []string{"Web", "Nope"}, want: []got{
			{ssp, "indicator", "maintenance (page-wide; components selected)", none, classify.OK, "Partial System Outage", zero, zero},
			{ssp, "upcoming-maintenance", "scheduled", none, maint, "Whole-page announcement", utc("2026-11-30T00:00:00Z"), utc("2026-11-30T02:00:00Z")},
			{ssp, "component-filter", `no component "nope" on the page`, none, classify.OK, "", zero, zero},
		}},
		{name: "Cachet status", kind: KindCachet, fixture: "cachet_status.json", want: []got{
			{ssp, "indicator", "under_maintenance", explicit, maint, "Under Maintenance", zero, zero},
		}},
		{name: "Cachet status, components selected", kind: KindCachet, fixture: "cachet_status.json", components: []string{"API"}, want: []got{
			{ssp, "indicator", "under_maintenance (page-wide; components selected)", none, classify.OK, "Under Maintenance", zero, zero},
		}},
		{name: "Cachet status, JSON:API form", kind: KindCachet, fixture: "cachet_status_jsonapi.json", want: []got{
			{ssp, "indicator", "partial_outage", implied, malf, "Some systems are experiencing issues", zero, zero},
		}},
		{name: "Cachet schedules", kind: KindCachet, fixture: "cachet_schedules.json", want: []got{
			upgrade("in_progress"),
			{ssp, "upcoming-maintenance", "upcoming", none, maint, "Storage migration", utc("2026-11-25T22:00:00Z"), utc("2026-11-26T01:00:00Z")},
		}},
		// Nothing selected, one component under maintenance and another in an
		// outage: which is the service is unknown, the outage wins.
		{name: "Cachet components", kind: KindCachet, fixture: "cachet_components.json", want: []got{
			{ssp, "component", "API: under_maintenance (another component is in an outage; select components to tell)", implied, maint, "", zero, zero},
			{ssp, "component", "Dashboard: major_outage", implied, malf, "", zero, zero},
		}},
		{name: "Cachet components, selected by id", kind: KindCachet, fixture: "cachet_components.json", components: []string{"2"}, want: []got{
			{ssp, "component", "Dashboard: major_outage", implied, malf, "", zero, zero},
		}},
		{name: "Instatus maintenance", kind: KindInstatus, fixture: "instatus_maintenance.json", want: []got{
			{ssp, "indicator", "UNDERMAINTENANCE", explicit, maint, "", zero, utc("2026-11-23T10:00:00Z")},
			{ssp, "maintenance", "INPROGRESS", explicit, maint, "Database maintenance", utc("2026-11-23T06:00:00Z"), utc("2026-11-23T10:00:00Z")},
			{ssp, "upcoming-maintenance", "NOTSTARTEDYET", none, maint, "Search index rebuild", utc("2026-11-28T02:00:00Z"), utc("2026-11-28T03:00:00Z")},
		}},
		{name: "Instatus incident", kind: KindInstatus, fixture: "instatus_incident.json", want: []got{
			{ssp, "indicator", "HASISSUES", none, classify.OK, "", zero, zero},
			{ssp, "incident", "investigating (majoroutage)", explicit, malf, "We're facing an issue with our API", zero, zero},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := fixture(t, tt.fixture)
			ev, err := ParseStatusPage(tt.kind, body, now, tt.components)
			require.NoError(t, err)
			assert.Equal(t, tt.want, brief(ev...))

			// The shape alone tells the kind.
			detected, err := ParseStatusPage("", body, now, tt.components)
			require.NoError(t, err)
			assert.Equal(t, ev, detected)
		})
	}
}

// The contract of DESIGN section 3, end to end through classify: the app
// is stopped (502), and only the status page knows why.
func TestStatusPageCombined(t *testing.T) {
	badGateway := classify.Observe(classify.Observation{Status: 502}, now, nil)
	tests := []struct {
		fixture    string
		class      classify.Class
		confidence classify.Strength
		until      time.Time
		message    string
	}{
		{"statuspage_maintenance.json", classify.Maintenance, classify.Explicit, utc("2026-11-23T10:00:00Z"), "Service Under Maintenance"},
		{"statuspage_maintenance_incident.json", classify.Malfunction, classify.None, time.Time{}, ""},
		{"statuspage_incident.json", classify.Malfunction, classify.None, time.Time{}, ""},
		{"statuspage_upcoming.json", classify.Maintenance, classify.Implied, utc("2026-11-23T07:30:00Z"), "*"},
		{"instatus_maintenance.json", classify.Maintenance, classify.Explicit, utc("2026-11-23T10:00:00Z"), "Database maintenance"},
		{"cachet_schedules.json", classify.Maintenance, classify.Explicit, utc("2026-11-23T10:00:00Z"), "Database upgrade"},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			ev, err := ParseStatusPage("", fixture(t, tt.fixture), now, nil)
			require.NoError(t, err)
			v := classify.Combine(badGateway, now, ev...)
			assert.Equal(t, tt.class, v.Class)
			assert.Equal(t, tt.confidence, v.Confidence)
			assert.True(t, tt.until.Equal(v.Until), "until %v", v.Until)
			if tt.message != "*" { // classify's rule for implied messages may change
				assert.Equal(t, tt.message, v.Message)
			}
		})
	}
}

func TestParseStatusPageErrors(t *testing.T) {
	tests := []struct {
		name, kind, body string
	}{
		{"empty", "", ""},
		{"not JSON", "", "<html>status</html>"},
		{"truncated", KindStatuspage, `{"status":{"indicator":"maint`},
		{"array", "", `[{"status":"ok"}]`},
		{"unknown shape", "", `{"healthy":true}`},
		{"unknown kind", "atlassian", `{"status":{"indicator":"none"}}`},
		{"Cachet without data", KindCachet, `{"status":"operational"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := ParseStatusPage(tt.kind, []byte(tt.body), now, nil)
			assert.ErrorIs(t, err, ErrUnrecognised)
			assert.Empty(t, ev)
		})
	}
}

func TestParseStatusPageBounded(t *testing.T) {
	var incidents []string
	for i := range 25 {
		incidents = append(incidents, fmt.Sprintf(`{"id":"i%d","name":"Incident %d","status":"investigating","impact":"minor","components":[]}`, i, i))
	}
	body := `{"status":{"indicator":"minor","description":"` + strings.Repeat(`\u001b[2J`, 200) + `"},"incidents":[` + strings.Join(incidents, ",") + `]}`
	ev, err := ParseStatusPage("", []byte(body), now, nil)
	require.NoError(t, err)
	require.Len(t, ev, 1+maxPerKind+1)
	assert.Equal(t, "incident", ev[maxPerKind].Signal)
	assert.Equal(t, got{ssp, "more", "15 more incident not shown", none, classify.OK, "", time.Time{}, time.Time{}}, brief(ev[len(ev)-1])[0])
	assert.NotContains(t, ev[0].Message, "\x1b")
	assert.LessOrEqual(t, len(ev[0].Message), maxText)
}

func TestParseStatusPageOddShapes(t *testing.T) {
	tests := []struct {
		name string
		kind string
		body string
		want []got
	}{
		{"maintenance listed among incidents", "", `{"incidents":[{"name":"Upgrade","status":"in_progress","impact":"maintenance","scheduled_for":"2026-11-23T06:00:00Z","scheduled_until":"2026-11-23T08:00:00Z"}]}`,
			[]got{{ssp, "maintenance", "in_progress", explicit, maint, "Upgrade", utc("2026-11-23T06:00:00Z"), utc("2026-11-23T08:00:00Z")}}},
		{"resolved incidents say nothing", "", `{"incidents":[{"name":"Old","status":"resolved"},{"name":"Older","status":"postmortem"}]}`, []got{}},
		{"wrong types are skipped", "", `{"status":"weird","components":[1,"x",{"name":5,"status":["under_maintenance"]}],"incidents":[null,7],"scheduled_maintenances":{"a":1}}`, []got{}},
		{"bare component names in an incident", KindStatuspage, `{"incidents":[{"name":"Down","status":"investigating","components":["API"]}],"components":[{"id":"a","name":"API","status":"major_outage"}]}`,
			[]got{
				{ssp, "incident", "investigating", explicit, malf, "Down", time.Time{}, time.Time{}},
				{ssp, "component", "API: major_outage", implied, malf, "", time.Time{}, time.Time{}},
			}},
		{"Instatus maintenance window open but not started", KindInstatus, `{"page":{"status":"UP"},"activeMaintenances":[{"name":"Late","start":"2026-11-23T06:30:00.000Z","status":"NOTSTARTEDYET","duration":"60"}]}`,
			[]got{
				{ssp, "indicator", "UP", none, classify.OK, "", time.Time{}, time.Time{}},
				{ssp, "maintenance-window", "NOTSTARTEDYET (window open)", implied, maint, "Late", utc("2026-11-23T06:30:00Z"), utc("2026-11-23T07:30:00Z")},
			}},
		{"Instatus absurd duration is ignored", KindInstatus, `{"activeMaintenances":[{"name":"Forever","start":"2026-11-23T06:30:00Z","status":"INPROGRESS","duration":"1e300"}]}`,
			[]got{{ssp, "maintenance", "INPROGRESS", explicit, maint, "Forever", utc("2026-11-23T06:30:00Z"), time.Time{}}}},
		{"Instatus page-wide outage", KindInstatus, `{"page":{"status":"ALLMAJOROUTAGE"}}`,
			[]got{{ssp, "indicator", "ALLMAJOROUTAGE", implied, malf, "", time.Time{}, time.Time{}}}},
		{"Cachet v2 schedule and flat status", KindCachet, `{"data":[{"id":7,"name":"Patch","status":1,"scheduled_at":"2026-11-23 06:30:00","completed_at":"2026-11-23 07:30:00"}]}`,
			[]got{{ssp, "maintenance", "in_progress", explicit, maint, "Patch", utc("2026-11-23T06:30:00Z"), utc("2026-11-23T07:30:00Z")}}},
		// Cachet 2.x incidents (cachethq/cachet app/Models/Incident.php; the
		// API docs' example) carry scheduled_at, never completed_at.
		{"Cachet v2 incident with scheduled_at", KindCachet, `{"data":[{"id":1,"component_id":0,"name":"API errors","status":1,"visible":1,"message":"Investigating","scheduled_at":"2026-11-23 06:55:00","created_at":"2026-11-23 06:55:00","human_status":"Investigating"}]}`,
			[]got{{ssp, "incident", "investigating", explicit, malf, "API errors", time.Time{}, time.Time{}}}},
		{"Cachet v2 schedule not yet completed", KindCachet, `{"data":[{"id":7,"name":"Patch","status":1,"scheduled_at":"2026-11-23 06:30:00","completed_at":null}]}`,
			[]got{{ssp, "maintenance", "in_progress", explicit, maint, "Patch", utc("2026-11-23T06:30:00Z"), time.Time{}}}},
		{"Cachet named schedule status", KindCachet, `{"data":{"type":"schedules","attributes":{"name":"Patch","status":"In Progress","scheduled":{"string":"2026-11-23 06:30:00"}}}}`,
			[]got{{ssp, "maintenance", "In Progress", explicit, maint, "Patch", utc("2026-11-23T06:30:00Z"), time.Time{}}}},
		{"Cachet incidents", KindCachet, `{"data":[{"id":"1","type":"incidents","attributes":{"name":"Errors","status":2}},{"id":"2","type":"incidents","attributes":{"name":"Fixed","status":4}}]}`,
			[]got{{ssp, "incident", "identified", explicit, malf, "Errors", time.Time{}, time.Time{}}}},
		{"Cachet schedule components from included", KindCachet, `{"data":[{"id":"1","type":"schedules","attributes":{"name":"DB","status":1,"scheduled":{"string":"2026-11-23 06:00:00"}},"relationships":{"components":{"data":[{"type":"components","id":"9"}]}}}],"included":[{"type":"components","id":"9","attributes":{"name":"Database"}}]}`,
			[]got{{ssp, "maintenance", "in_progress", explicit, maint, "DB", utc("2026-11-23T06:00:00Z"), time.Time{}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := ParseStatusPage(tt.kind, []byte(tt.body), now, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.want, brief(ev...))
		})
	}

	t.Run("Cachet schedule for another component", func(t *testing.T) {
		body := `{"data":[{"id":"1","type":"schedules","attributes":{"name":"DB","status":1,"scheduled":{"string":"2026-11-23 06:00:00"}},"relationships":{"components":{"data":[{"type":"components","id":"9"}]}}}],"included":[{"type":"components","id":"9","attributes":{"name":"Database"}}]}`
		ev, err := ParseStatusPage(KindCachet, []byte(body), now, []string{"API"})
		require.NoError(t, err)
		assert.Empty(t, ev)
		ev, err = ParseStatusPage(KindCachet, []byte(body), now, []string{"database"})
		require.NoError(t, err)
		assert.Len(t, ev, 1)
	})
}

// TestStatusPagePrecision: an incident the page's operator marks impact
// "none" says nothing against the service; with components selected, a
// maintenance naming no component is only implied, so the selected
// component's own outage outranks it (issue 12).
func TestStatusPagePrecision(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	t.Run("impact none", func(t *testing.T) {
		ev, err := ParseStatusPage(KindStatuspage, []byte(`{"status":{"indicator":"none"},"incidents":[{"name":"Delayed emails","status":"monitoring","impact":"none","components":[{"id":"w","name":"Website"}]}]}`), now, nil)
		require.NoError(t, err)
		var inc []classify.Evidence
		for _, e := range ev {
			if e.Signal == classify.SignalIncident {
				inc = append(inc, e)
			}
		}
		require.Len(t, inc, 1)
		assert.Equal(t, classify.None, inc[0].Strength)
		assert.Equal(t, "monitoring (none): does not touch the service", inc[0].Value)
	})
	t.Run("maintenance naming no component, components selected", func(t *testing.T) {
		doc := `{"components":[{"id":"a","name":"API","status":"major_outage"}],"scheduled_maintenances":[{"name":"Upgrade","status":"in_progress","scheduled_for":"2026-11-23T00:00:00Z","scheduled_until":"2026-11-24T00:00:00Z","components":[]}]}`
		ev, err := ParseStatusPage(KindStatuspage, []byte(doc), now, []string{"API"})
		require.NoError(t, err)
		v := classify.Combine(classify.Verdict{Class: classify.Malfunction, Status: 503}, now, ev...)
		assert.Equal(t, classify.Malfunction, v.Class, "verdict %v", v)
		ev, err = ParseStatusPage(KindStatuspage, []byte(doc), now, nil)
		require.NoError(t, err)
		v = classify.Combine(classify.Verdict{Class: classify.Malfunction, Status: 503}, now, ev...)
		assert.Equal(t, classify.Maintenance, v.Class, "page-wide, nothing selected: the maintenance counts; verdict %v", v)
	})
	t.Run("maintenance of one component, another in an outage, nothing selected", func(t *testing.T) {
		doc := `{"components":[{"id":"a","name":"API","status":"partial_outage"},{"id":"c","name":"Codespaces","status":"under_maintenance"}],"scheduled_maintenances":[{"name":"Codespaces upgrade","status":"in_progress","scheduled_for":"2026-11-23T00:00:00Z","scheduled_until":"2026-11-24T00:00:00Z","components":[{"id":"c","name":"Codespaces"}]}],"status":{"indicator":"maintenance"}}`
		ev, err := ParseStatusPage(KindStatuspage, []byte(doc), now, nil)
		require.NoError(t, err)
		v := classify.Combine(classify.Verdict{Class: classify.Malfunction, Status: 502}, now, ev...)
		assert.Equal(t, classify.Malfunction, v.Class, "the outage wins over a maintenance elsewhere; verdict %v", v)
		ev, err = ParseStatusPage(KindStatuspage, []byte(doc), now, []string{"Codespaces"})
		require.NoError(t, err)
		v = classify.Combine(classify.Verdict{Class: classify.Malfunction, Status: 502}, now, ev...)
		assert.Equal(t, classify.Maintenance, v.Class, "selecting the component resolves it; verdict %v", v)
	})
	t.Run("maintenance naming the component in an outage, nothing selected", func(t *testing.T) {
		doc := `{"components":[{"id":"a","name":"API","status":"major_outage"}],"scheduled_maintenances":[{"name":"Upgrade","status":"in_progress","scheduled_for":"2026-11-23T00:00:00Z","scheduled_until":"2026-11-24T00:00:00Z","components":[{"id":"a","name":"API"}]}]}`
		ev, err := ParseStatusPage(KindStatuspage, []byte(doc), now, nil)
		require.NoError(t, err)
		v := classify.Combine(classify.Verdict{Class: classify.Malfunction, Status: 503}, now, ev...)
		assert.Equal(t, classify.Maintenance, v.Class, "verdict %v", v)
	})
}
