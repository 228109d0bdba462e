# One image for every Sluice process (serve, land, curate, export): the command picks the role.
FROM node:24-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY schemas/package.json schemas/
COPY packages packages
COPY services services
COPY schemas schemas
COPY examples examples
# Dev dependencies stay: the `node@24` pin and the type-stripped sources need no build step,
# but npm scripts resolve node through node_modules/.bin.
RUN npm ci --no-audit --no-fund && npm cache clean --force
ENV SLUICE_HOST=0.0.0.0 SLUICE_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
ENTRYPOINT ["node", "packages/cli/src/main.ts"]
CMD ["serve"]
