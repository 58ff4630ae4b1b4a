// Scorecard: the custom-functions glue for xlwings Server (our own code, BSD-3 like the project).
// Used when the installed xlwings wheel does not ship its own template. It sends the request body
// xlwings.server.custom_functions_call expects and returns the 2-D result; on an HTTP error the cell
// shows #VALUE! with the server's message.
let runtime = "1.1";
Office.onReady(() => {
  for (const version of ["1.4", "1.3", "1.2"]) {
    if (Office.context.requirements.isSetSupported("CustomFunctionsRuntime", version)) {
      runtime = version;
      break;
    }
  }
});

async function base(funcName, ...rest) {
  await Office.onReady();
  const invocation = rest[rest.length - 1];
  const args = rest.slice(0, -1);
  const body = {
    client: "Office.js",
    func_name: funcName,
    args: args,
    caller_address: invocation.address,
    culture_info_name: Office.context.contentLanguage,
    date_format: null,
    version: "__XLWINGS_VERSION__",
    runtime: runtime,
  };
  const response = await fetch(window.location.origin + "__CALL_PATH__", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, await response.text());
  }
  return (await response.json()).result;
}
