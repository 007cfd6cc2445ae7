<?php
header('HTTP/1.1 503 Down for Maintenance');
?><!doctype html><title>Maintenance</title><h1>Down for maintenance</h1>
