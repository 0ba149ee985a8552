# Turns the published document (sdk/openapi.json) into the one Kiota generates from.
# Light's document describes each success as a "default" response with no status code; Kiota maps
# "default" to an untyped Stream, so an operation whose only answer is "default" gets it as "200"
# (typed model), plus Ledgerlight's error envelope for 4XX/5XX so every failure is a typed exception.
# Nothing else changes: paths, parameters and schemas are the server's.
def error_envelope:
  { description: "Light's error envelope",
    content: { "application/json;charset=UTF-8": { schema: { "$ref": "#/components/schemas/LedgerlightError" } } } };
.paths |= with_entries(
  .value |= with_entries(
    if (.value | type) == "object" and (.value.responses? | type) == "object"
       and (.value.responses | keys) == ["default"]
    then .value.responses = { "200": .value.responses.default, "4XX": error_envelope, "5XX": error_envelope }
    else . end))
