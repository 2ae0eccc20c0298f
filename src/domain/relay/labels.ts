/** How each side is named to the other: "Customer Amber Falcon", "Expert Swift Otter". */
export const customerLabel = (alias: string) => `Customer ${alias}`;
export const expertLabel = (alias: string) => `Expert ${alias}`;
