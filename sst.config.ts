// SST v2 app: the stacks live in infra/ (its own npm project; run SST through `npm run sst`).
import { config, stacks } from "./infra/app.ts";

export default { config, stacks };
