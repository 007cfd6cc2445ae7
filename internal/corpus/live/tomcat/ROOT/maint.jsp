<%@ page contentType="text/html" %><% response.setHeader("Retry-After", "3600"); response.sendError(503, "The site is down for maintenance until 02:00 UTC"); %>
