import * as t from "tributaryjs";

export { t };
