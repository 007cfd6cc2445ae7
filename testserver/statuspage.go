package testserver

import (
	"hash/fnv"
	"net/http"
	"strconv"
	"time"
)

// statusPrefix is where the Statuspage v2 documents live.
const statusPrefix = "/api/v2/"

// Statuspage v2 JSON, with the field names of the real API.

type spPage struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	URL       string `json:"url"`
	TimeZone  string `json:"time_zone"`
	UpdatedAt string `json:"updated_at"`
}

type spComponent struct {
	ID                 string  `json:"id"`
	Name               string  `json:"name"`
	Status             string  `json:"status"`
	CreatedAt          string  `json:"created_at"`
	UpdatedAt          string  `json:"updated_at"`
	Position           int     `json:"position"`
	Description        *string `json:"description"`
	Showcase           bool    `json:"showcase"`
	StartDate          *string `json:"start_date"`
	GroupID            *string `json:"group_id"`
	PageID             string  `json:"page_id"`
	Group              bool    `json:"group"`
	OnlyShowIfDegraded bool    `json:"only_show_if_degraded"`
}

type spAffected struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	OldStatus string `json:"old_status"`
	NewStatus string `json:"new_status"`
}

type spUpdate struct {
	ID                   string       `json:"id"`
	Status               string       `json:"status"`
	Body                 string       `json:"body"`
	IncidentID           string       `json:"incident_id"`
	CreatedAt            string       `json:"created_at"`
	UpdatedAt            string       `json:"updated_at"`
	DisplayAt            string       `json:"display_at"`
	AffectedComponents   []spAffected `json:"affected_components"`
	DeliverNotifications bool         `json:"deliver_notifications"`
	CustomTweet          *string      `json:"custom_tweet"`
	TweetID              *string      `json:"tweet_id"`
}

// spIncident is an incident or, with the scheduled_* fields, a scheduled
// maintenance.
type spIncident struct {
	ID              string        `json:"id"`
	Name            string        `json:"name"`
	Status          string        `json:"status"`
	CreatedAt       string        `json:"created_at"`
	UpdatedAt       string        `json:"updated_at"`
	MonitoringAt    *string       `json:"monitoring_at"`
	ResolvedAt      *string       `json:"resolved_at"`
	Impact          string        `json:"impact"`
	Shortlink       string        `json:"shortlink"`
	StartedAt       string        `json:"started_at"`
	PageID          string        `json:"page_id"`
	IncidentUpdates []spUpdate    `json:"incident_updates"`
	Components      []spComponent `json:"components"`
	ScheduledFor    *string       `json:"scheduled_for,omitempty"`
	ScheduledUntil  *string       `json:"scheduled_until,omitempty"`
}

type spStatus struct {
	Indicator   string `json:"indicator"`
	Description string `json:"description"`
}

type spSummary struct {
	Page                  spPage        `json:"page"`
	Components            []spComponent `json:"components"`
	Incidents             []spIncident  `json:"incidents"`
	ScheduledMaintenances []spIncident  `json:"scheduled_maintenances"`
	Status                spStatus      `json:"status"`
}

// spTime formats a time as Statuspage does.
func spTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// spID makes a stable 12-character Statuspage-like id from a seed.
func spID(seed string) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(seed))
	id := strconv.FormatUint(h.Sum64(), 36)
	for len(id) < 12 {
		id = "0" + id
	}
	return id[len(id)-12:]
}

// summary builds the page as the request's mode shows it.
func (s *Server) summary(r *http.Request, st *reqState) spSummary {
	base := baseURL(r)
	pageID := spID("page")
	created := spTime(s.started)
	changed := spTime(st.since)
	sum := spSummary{
		Page:                  spPage{ID: pageID, Name: "downfor testserver", URL: base, TimeZone: "Etc/UTC", UpdatedAt: changed},
		Incidents:             []spIncident{},
		ScheduledMaintenances: []spIncident{},
		Status:                spStatus{Indicator: "none", Description: "All Systems Operational"},
	}
	affected := "operational"
	switch st.mode.status {
	case statusMaintenance:
		affected = "under_maintenance"
		sum.Status = spStatus{Indicator: "maintenance", Description: "Service Under Maintenance"}
	case statusIncident:
		affected = "major_outage"
		sum.Status = spStatus{Indicator: "major", Description: "Partial System Outage"}
	}
	for i, name := range s.components() {
		c := spComponent{
			ID: spID("component:" + name), Name: name, Status: "operational",
			CreatedAt: created, UpdatedAt: created, Position: i + 1,
			Showcase: true, PageID: pageID,
		}
		if i == 0 {
			c.Status = affected
			if affected != "operational" {
				c.UpdatedAt = changed
			}
		}
		sum.Components = append(sum.Components, c)
	}
	if st.mode.status == statusOperational {
		return sum
	}
	svc := sum.Components[0]
	id := spID("event:" + st.mode.Name + ":" + changed)
	inc := spIncident{
		ID: id, CreatedAt: changed, UpdatedAt: changed, StartedAt: changed,
		Shortlink: base + "/incidents/" + id, PageID: pageID,
		Components: []spComponent{svc},
	}
	upd := spUpdate{
		ID: spID("update:" + id), IncidentID: id,
		CreatedAt: changed, UpdatedAt: changed, DisplayAt: changed,
		AffectedComponents:   []spAffected{{Code: svc.ID, Name: svc.Name, OldStatus: "operational", NewStatus: affected}},
		DeliverNotifications: true,
	}
	if st.mode.status == statusMaintenance {
		from, until := changed, spTime(st.until)
		inc.Name = "Scheduled maintenance of the " + svc.Name
		inc.Status = "in_progress"
		inc.Impact = "maintenance"
		inc.ScheduledFor, inc.ScheduledUntil = &from, &until
		upd.Status = "in_progress"
		upd.Body = "Scheduled maintenance is currently in progress. We will provide updates as necessary."
		inc.IncidentUpdates = []spUpdate{upd}
		sum.ScheduledMaintenances = []spIncident{inc}
		return sum
	}
	if st.mode.status == statusOtherIncident && len(sum.Components) > 1 {
		// A minor event elsewhere: impact none, on the second component,
		// which stays operational; the page-wide indicator stays "none".
		other := sum.Components[1]
		inc.Components = []spComponent{other}
		upd.AffectedComponents = []spAffected{{Code: other.ID, Name: other.Name, OldStatus: "operational", NewStatus: "operational"}}
		inc.Name = "Delayed emails from the " + other.Name
		inc.Status = "monitoring"
		inc.Impact = "none"
		upd.Status = "monitoring"
		upd.Body = "Some notification emails from the " + other.Name + " are delayed; no service is affected."
		inc.IncidentUpdates = []spUpdate{upd}
		sum.Incidents = []spIncident{inc}
		return sum
	}
	inc.Name = "Elevated error rates on the " + svc.Name
	inc.Status = "investigating"
	inc.Impact = "major"
	upd.Status = "investigating"
	upd.Body = "We are investigating elevated error rates on the " + svc.Name + "."
	inc.IncidentUpdates = []spUpdate{upd}
	sum.Incidents = []spIncident{inc}
	return sum
}

// serveStatusPage answers the Statuspage v2 documents. The status page
// stands for a separate host (statuspage.io), so it answers in every mode,
// the network ones included.
func (s *Server) serveStatusPage(w http.ResponseWriter, r *http.Request, st *reqState) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		write(w, http.StatusMethodNotAllowed, ctJSON, `{"error":"Method not allowed"}`)
		return
	}
	sum := s.summary(r, st)
	var doc any
	switch r.URL.Path {
	case statusPrefix + "summary.json":
		doc = sum
	case statusPrefix + "status.json":
		doc = struct {
			Page   spPage   `json:"page"`
			Status spStatus `json:"status"`
		}{sum.Page, sum.Status}
	case statusPrefix + "components.json":
		doc = struct {
			Page       spPage        `json:"page"`
			Components []spComponent `json:"components"`
		}{sum.Page, sum.Components}
	case statusPrefix + "incidents.json", statusPrefix + "incidents/unresolved.json":
		doc = struct {
			Page      spPage       `json:"page"`
			Incidents []spIncident `json:"incidents"`
		}{sum.Page, sum.Incidents}
	case statusPrefix + "scheduled-maintenances.json", statusPrefix + "scheduled-maintenances/active.json":
		doc = struct {
			Page                  spPage       `json:"page"`
			ScheduledMaintenances []spIncident `json:"scheduled_maintenances"`
		}{sum.Page, sum.ScheduledMaintenances}
	case statusPrefix + "scheduled-maintenances/upcoming.json":
		doc = struct {
			Page                  spPage       `json:"page"`
			ScheduledMaintenances []spIncident `json:"scheduled_maintenances"`
		}{sum.Page, []spIncident{}}
	default:
		write(w, http.StatusNotFound, ctJSON, `{"error":"Not found"}`)
		return
	}
	h := w.Header()
	h.Set("Cache-Control", "max-age=0, private, must-revalidate")
	h.Set("Access-Control-Allow-Origin", "*")
	write(w, http.StatusOK, "application/json; charset=utf-8", mustJSON(doc))
}
