<?php
http_response_code(503);
header('Retry-After: 3600');
?><!doctype html><title>Maintenance</title><h1>Down for maintenance</h1><p>Back within the hour.</p>
