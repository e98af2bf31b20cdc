-- target: cloudtrail
-- th-sigmahq-aws-enum-network-base: Potential Network Enumeration on AWS (selection of the SigmaHQ rule)
(COALESCE(lower(e.eventsource) = 'ec2.amazonaws.com', FALSE) AND COALESCE(lower(e.eventname) IN ('describecarriergateways', 'describevpcendpointconnectionnotifications', 'describetransitgatewaymulticastdomains', 'describeclientvpnroutes', 'describedhcpoptions', 'gettransitgatewayroutetableassociations'), FALSE))

-- target: parquet
-- th-sigmahq-aws-enum-network-base: Potential Network Enumeration on AWS (selection of the SigmaHQ rule)
((CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventSource')) = 'ec2.amazonaws.com', FALSE) ELSE COALESCE(lower(e.event_source) = 'ec2.amazonaws.com', FALSE) END) AND (CASE WHEN e.odd_fields THEN COALESCE(lower(json_extract_scalar(e.record, '$.eventName')) IN ('describecarriergateways', 'describevpcendpointconnectionnotifications', 'describetransitgatewaymulticastdomains', 'describeclientvpnroutes', 'describedhcpoptions', 'gettransitgatewayroutetableassociations'), FALSE) ELSE COALESCE(lower(e.event_name) IN ('describecarriergateways', 'describevpcendpointconnectionnotifications', 'describetransitgatewaymulticastdomains', 'describeclientvpnroutes', 'describedhcpoptions', 'gettransitgatewayroutetableassociations'), FALSE) END))
